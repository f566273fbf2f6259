package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.testrig.backend.ComposeProject;
import io.testrig.core.Exec;
import io.testrig.core.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remembered compose model is reused only for exactly the same project, files and values. */
class ConfigMemoTest {
  @TempDir Path dir;

  private ComposeProject project(String name, Path file, Map<String, String> env) {
    return new ComposeProject(name, List.of(file), List.of(), env, new Redactor());
  }

  @Test
  void reusedForTheSameInputsOnly() throws Exception {
    Path f = dir.resolve("compose.yml");
    Files.writeString(f, "services: {a: {image: x}}\n");
    Map<String, String> env = Map.of("TESTRIG_RUN_DIR", "/run/x");
    Exec.Result ok = new Exec.Result(List.of("config"), 0, "{}", "");
    ConfigMemo.remember(project("p", f, env), ok);
    // Another redactor and another map instance with the same entries: the same inputs.
    assertSame(ok, ConfigMemo.recall(project("p", f, Map.of("TESTRIG_RUN_DIR", "/run/x"))));
    assertNull(ConfigMemo.recall(project("q", f, env)), "another project name");
    assertNull(
        ConfigMemo.recall(
            project("p", f, Map.of("TESTRIG_RUN_DIR", "/run/x", "TESTRIG_VALUE_A", "1"))),
        "another value for interpolation");
    // Same size and content, another modification time.
    java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(f);
    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(t.toMillis() + 1000));
    assertNull(ConfigMemo.recall(project("p", f, env)), "the file was touched since");
    ConfigMemo.remember(project("p", f, env), ok);
    assertSame(ok, ConfigMemo.recall(project("p", f, env)));
    Files.writeString(f, "services: {a: {image: y}, b: {image: y}}\n");
    assertNull(ConfigMemo.recall(project("p", f, env)), "the file changed since");
    Exec.Result rejected = new Exec.Result(List.of("config"), 1, "", "bad");
    ConfigMemo.remember(project("r", f, env), rejected);
    assertNull(ConfigMemo.recall(project("r", f, env)), "a rejection is never reused");
  }
}

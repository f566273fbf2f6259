package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void validRigSaysOk() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "certs:\n  issue:\n    db: {}\n");
    assertEquals(0, run("validate", "-f", rig.toString()));
    assertTrue(out.toString().contains(": ok (0 template sets, 1 certs"), out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void badRigIsExit2WithOneLine() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "stack:\n  filez: []\n");
    assertEquals(2, run("validate", "-f", rig.toString()));
    assertEquals(
        "testrig: "
            + rig
            + ":2: stack.filez: unknown key (known: build, env_files, files,"
            + " graceful_stop, profiles, profiles_if, project, services, timeout)\n",
        err.toString());
  }

  @Test
  void unknownOptionIsUsageError() {
    assertEquals(2, run("validate", "--nope"));
    assertTrue(err.toString().startsWith("testrig: Unknown option: '--nope'"), err.toString());
  }

  @Test
  void stacktraceOnlyWhenAsked() throws Exception {
    Path rig = dir.resolve("missing.yml");
    assertEquals(2, run("validate", "-f", rig.toString()));
    assertEquals(1, err.toString().lines().count());
    err.getBuffer().setLength(0);
    assertEquals(2, run("--stacktrace", "validate", "-f", rig.toString()));
    assertTrue(err.toString().contains("at io.testrig.rig.RigLoader.load"), err.toString());
  }
}

package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, item 15: a matrix run reports bad input every config shares once, not per config. */
class RunServicePreflightTest {
  @TempDir Path dir;

  @Test
  void aBadPersistentConfigFailsOnceBeforeAnyConfigStarts() throws Exception {
    Files.createDirectory(dir.resolve("cfg"));
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, "secrets: {config: cfg}\nmatrix:\n  a: [1, 2, 3]\n");
    Rig rig = new RigLoader().load(file);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Output output =
        Output.forEnvironment(
            new PrintWriter(out), new PrintWriter(err), Map.<String, String>of()::get, false);
    Path runDir = dir.resolve("run");
    RunService.Options opts =
        new RunService.Options(
            dir.resolve("artifacts"), null, null, 2, null, runDir, null, Map.of());
    RunService service = new RunService(rig, opts, new Redactor(), output, new Cleanup(), Map.of());
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                service.run(
                    () -> {
                      throw new AssertionError("no engine needed");
                    }));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        dir.resolve("testrig.yml")
            + ": secrets.config "
            + dir.resolve("cfg")
            + ": is a directory, not a regular file; refusing to replace it",
        e.getMessage());
    // The CLI prints the exception once; no config printed it (or started) before.
    assertEquals("", err.toString());
    assertFalse(Files.exists(runDir), "no config started");
    String report = Files.readString(dir.resolve("artifacts/junit.xml"));
    assertTrue(report.contains("cfg: is a directory, not a regular file"), report);
  }
}

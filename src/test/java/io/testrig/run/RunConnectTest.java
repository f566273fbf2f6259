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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, parallel preflight in {@code run}: the engine connection runs while the first config
 * issues its certs and renders its templates; a failed connection still ends the run once, with the
 * report saying why and the run directory wiped.
 */
class RunConnectTest {
  @TempDir Path dir;

  @Test
  void theConnectionRunsWhileTheFirstConfigPreparesAndItsFailureEndsTheRunOnce() throws Exception {
    Files.writeString(dir.resolve("compose.yml"), "services: {}\n");
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("templates/app.conf.j2"), "pw={{ password.db }}\n");
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, "templates:\n  - from: templates\nstack:\n  files: [compose.yml]\n");
    Rig rig = new RigLoader().load(file);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Output output =
        Output.forEnvironment(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.<String, String>of()::get,
            false);
    Path runDir = dir.resolve("run");
    RunService.Options opts =
        new RunService.Options(dir.resolve("artifacts"), null, null, 2, null, runDir, null, null);
    RunService service = new RunService(rig, opts, new Redactor(), output, new Cleanup(), Map.of());
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                service.run(
                    () -> {
                      // Before this change the connection came first and the templates waited.
                      long deadline = System.nanoTime() + 10_000_000_000L;
                      while (!Files.exists(runDir.resolve("app.conf"))) {
                        if (System.nanoTime() > deadline) {
                          throw new AssertionError("no template was rendered while connecting");
                        }
                        Thread.onSpinWait();
                      }
                      throw new TestrigException(
                          ExitCode.ENGINE_UNAVAILABLE, "no Docker engine answered at tcp://x");
                    }));
    assertEquals(ExitCode.ENGINE_UNAVAILABLE, e.exitCode());
    assertEquals("no Docker engine answered at tcp://x", e.getMessage());
    // The CLI prints it once; no config printed it before.
    assertEquals("", err.toString());
    String report = Files.readString(dir.resolve("artifacts/junit.xml"));
    assertTrue(report.contains("no Docker engine answered at tcp://x"), report);
    try (Stream<Path> left = Files.exists(runDir) ? Files.list(runDir) : Stream.empty()) {
      assertFalse(left.findAny().isPresent(), "the run directory was wiped");
    }
  }
}

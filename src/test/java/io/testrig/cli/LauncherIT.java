package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/testrig linked onto PATH (README.md, "Install") still finds the checkout's jar. An IT because
 * it needs the packaged target/testrig.jar.
 */
class LauncherIT {
  @TempDir Path dir;

  @Test
  void aSymlinkedLauncherRunsTheCheckoutsJar() throws Exception {
    Path link =
        Files.createSymbolicLink(dir.resolve("testrig"), Path.of("bin/testrig").toAbsolutePath());
    ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").directory(dir.toFile());
    pb.environment().remove("TESTRIG_JAR");
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out + err);
    assertTrue(out.startsWith("testrig "), out);
  }
}

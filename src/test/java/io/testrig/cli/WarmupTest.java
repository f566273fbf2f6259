package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parallel preflight: only for commands that read a rig, and never visible in a result. */
class WarmupTest {
  @TempDir Path dir;

  @Test
  void onlyCommandsThatReadARigWarm() {
    for (String rig : new String[] {"validate", "up", "run", "render", "certs", "info"}) {
      assertEquals(1, Warmup.steps(rig).size(), rig);
    }
    for (String none : new String[] {null, "down", "gc", "report", "ci", "engine", "nope"}) {
      assertEquals(List.of(), Warmup.steps(none), String.valueOf(none));
    }
    assertFalse(Warmup.start(new String[] {"--version"}).started());
    assertFalse(Warmup.start(new String[] {"down", "-p", "x"}).started());
    Warmup w = Warmup.start(new String[] {"validate", "-f", "x.yml"});
    assertTrue(w.started());
    w.await();
    Warmup.NONE.await();
  }

  @Test
  void everyWarmStepRunsCleanly() {
    // A step that throws is ignored at run time; here each must work, or the warm-up is useless.
    Warmup.steps("validate").forEach(Runnable::run);
  }

  /**
   * The same output and exit code as without a warm-up: the warmed rig's name, values and problems
   * never leak into the command's (each run here starts one, in this JVM).
   */
  @Test
  void aWarmedRunPrintsExactlyWhatTheCommandDoes() throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.yml"), "name: mine\ncerts: {issue: {db: {}}}\n");
    Cli cli = new Cli();
    assertEquals(0, cli.run("validate", "-f", ok.toString()));
    assertEquals(
        ok + ": ok (0 template sets, 1 certs, 0 compose files, 0 suites, 0 matrix axes)\n",
        cli.out());
    assertEquals("", cli.err());
    Path bad = Files.writeString(dir.resolve("bad.yml"), "name: mine\nsuites: [{name: x}]\n");
    Cli cli2 = new Cli();
    assertEquals(2, cli2.run("validate", "-f", bad.toString()));
    assertEquals("", cli2.out());
    assertEquals(1, cli2.err().lines().count(), cli2.err());
    assertTrue(cli2.err().startsWith("testrig: " + bad + ":2: suites[0]"), cli2.err());
    assertFalse(cli2.err().contains("warm"), cli2.err());
  }

  /** A usage error ends the run before its command; its warm-up still ends before Main returns. */
  @Test
  void aRunThatEndsBeforeItsCommandLeavesNoWarmUpRunning() {
    Cli cli = new Cli();
    assertEquals(2, cli.run("validate", "--nope"));
    assertTrue(cli.err().startsWith("testrig: Unknown option: '--nope'"), cli.err());
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("testrig-warmup") && t.isAlive()),
        "a warm-up thread outlived its run");
  }
}

package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Matrix;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, whole runs: a matrix config gives its slot back before its teardown, so the next config
 * starts while that teardown runs (with a fixed pool of N threads it waited for it).
 */
class ConfigSchedulerTest {
  @TempDir Path dir;

  @Test
  void theNextConfigStartsWhileAReleasedOneIsStillTearingDown() throws Exception {
    CountDownLatch tearingDown = new CountDownLatch(1);
    CountDownLatch thirdStarted = new CountDownLatch(1);
    CountDownLatch finishTeardown = new CountDownLatch(1);
    try (ConfigScheduler s = new ConfigScheduler(2)) {
      ConfigScheduler.Slot first = s.acquire();
      Future<String> a =
          s.run(
              first,
              () -> {
                first.release(); // the suites are over
                tearingDown.countDown();
                assertTrue(finishTeardown.await(10, TimeUnit.SECONDS), "teardown never finished");
                return "a";
              });
      ConfigScheduler.Slot second = s.acquire();
      CountDownLatch holdSecond = new CountDownLatch(1);
      Future<String> b = s.run(second, () -> holdSecond.await(10, TimeUnit.SECONDS) ? "b" : "-");
      assertTrue(tearingDown.await(10, TimeUnit.SECONDS));
      // Both earlier configs are alive; the first only tears down: a slot is free.
      ConfigScheduler.Slot third = s.acquire();
      Future<String> c =
          s.run(
              third,
              () -> {
                thirdStarted.countDown();
                return "c";
              });
      assertTrue(thirdStarted.await(10, TimeUnit.SECONDS), "the third config never started");
      assertFalse(a.isDone(), "the first config is still tearing down");
      finishTeardown.countDown();
      holdSecond.countDown();
      assertEquals("a", a.get(10, TimeUnit.SECONDS));
      assertEquals("b", b.get(10, TimeUnit.SECONDS));
      assertEquals("c", c.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void atMostNHoldASlotAndAtMostTwiceNAreAlive() throws Exception {
    int n = 2;
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger mostHolding = new AtomicInteger();
    AtomicInteger living = new AtomicInteger();
    AtomicInteger mostLiving = new AtomicInteger();
    List<Future<Integer>> all = new ArrayList<>();
    try (ConfigScheduler s = new ConfigScheduler(n)) {
      for (int i = 0; i < 12; i++) {
        ConfigScheduler.Slot slot = s.acquire();
        all.add(
            s.run(
                slot,
                () -> {
                  mostLiving.accumulateAndGet(living.incrementAndGet(), Math::max);
                  mostHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                  Thread.sleep(20);
                  holding.decrementAndGet();
                  slot.release();
                  Thread.sleep(60); // a slow teardown
                  living.decrementAndGet();
                  return 1;
                }));
      }
      for (Future<Integer> f : all) {
        assertEquals(1, f.get(10, TimeUnit.SECONDS));
      }
    }
    assertEquals(n, mostHolding.get(), "slots held at once");
    assertTrue(mostLiving.get() <= 2 * n, "alive at once: " + mostLiving.get());
    assertTrue(mostLiving.get() > n, "teardowns overlapped: " + mostLiving.get());
  }

  @Test
  void aSlotThatNeverRanIsGivenBackByEnd() throws Exception {
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      s.acquire().end();
      ConfigScheduler.Slot again = s.acquire(); // would block forever if end() leaked the slot
      assertEquals("ok", s.run(again, () -> "ok").get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void anInterruptedWaitIsAnInterruptedRun() {
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      s.acquire();
      Thread.currentThread().interrupt();
      TestrigException e = assertThrows(TestrigException.class, s::acquire);
      assertEquals(ExitCode.INTERRUPTED, e.exitCode());
      assertTrue(Thread.interrupted(), "the interrupt is kept");
    }
  }

  /**
   * A config calls its release after its suites and before its teardown: the console at that moment
   * shows the prepare phase ended and no teardown begun; the teardown still runs after.
   */
  @Test
  void aConfigReleasesItsSlotAfterItsWorkAndBeforeItsTeardown() throws Exception {
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, "matrix:\n  a: [1, 2]\n");
    Rig rig = new RigLoader().load(file);
    StringWriter out = new StringWriter();
    Output output =
        Output.forEnvironment(
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter()),
            Map.<String, String>of()::get,
            false);
    RunService.Options opts =
        new RunService.Options(
            dir.resolve("artifacts"), null, null, 2, null, dir.resolve("run"), null, Map.of());
    List<String> atRelease = new ArrayList<>();
    Matrix.Config config = Matrix.select(rig, null).get(1);
    ConfigRun run =
        new ConfigRun(
            rig,
            config,
            opts,
            "r1",
            null,
            new Redactor(),
            output,
            new Cleanup(),
            Map.of(),
            () -> atRelease.add(out.toString()));
    ConfigRun.Result r = run.run();
    assertEquals(ExitCode.OK, r.infra());
    assertEquals(1, atRelease.size(), "released once");
    assertTrue(atRelease.get(0).contains("<== prepare.2 ok"), atRelease.get(0));
    assertFalse(atRelease.get(0).contains("Tearing down"), atRelease.get(0));
    assertTrue(out.toString().contains("<== teardown.2 ok"), out.toString());
    assertFalse(
        Files.exists(dir.resolve("run").resolve(config.slug()).resolve("config.json")),
        "the teardown still wiped the run directory");
  }
}

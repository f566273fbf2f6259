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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, whole runs: a matrix config gives its slot back before its teardown, so the next config
 * starts while that teardown runs (with a fixed pool of N threads it waited for it); and the next
 * configs stage (certs, templates, containers created) while the slots are taken.
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
                first.start();
                first.release(); // the suites are over
                tearingDown.countDown();
                assertTrue(finishTeardown.await(10, TimeUnit.SECONDS), "teardown never finished");
                return "a";
              });
      ConfigScheduler.Slot second = s.acquire();
      CountDownLatch holdSecond = new CountDownLatch(1);
      Future<String> b =
          s.run(
              second,
              () -> {
                second.start();
                return holdSecond.await(10, TimeUnit.SECONDS) ? "b" : "-";
              });
      assertTrue(tearingDown.await(10, TimeUnit.SECONDS));
      // Both earlier configs are alive; the first only tears down: a slot is free.
      ConfigScheduler.Slot third = s.acquire();
      Future<String> c =
          s.run(
              third,
              () -> {
                third.start();
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

  /**
   * Issue 11: while the only slot is taken, the next config already stages (certs, templates,
   * containers created) and waits for the slot only to start its containers.
   */
  @Test
  void theNextConfigStagesWhileTheSlotIsTakenAndStartsWhenItIsGivenBack() throws Exception {
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch secondStaged = new CountDownLatch(1);
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      ConfigScheduler.Slot first = s.acquire();
      Future<?> a =
          s.run(
              first,
              () -> {
                first.start();
                first.ready(); // its stack is ready: the next config may stage
                firstRunning.countDown();
                assertTrue(secondStaged.await(10, TimeUnit.SECONDS), "the second never staged");
                events.add("first gives its slot back");
                first.release();
                return null;
              });
      assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
      ConfigScheduler.Slot second = s.acquire(); // the first left staging: no wait
      assertTrue(second.staged());
      Future<?> b =
          s.run(
              second,
              () -> {
                events.add("second staged");
                secondStaged.countDown();
                second.start(); // waits for the first's slot
                events.add("second started");
                assertTrue(second.held());
                assertTrue(second.staged(), "staging until its stack is ready");
                second.ready();
                assertFalse(second.staged(), "a ready config has left staging");
                return null;
              });
      a.get(10, TimeUnit.SECONDS);
      b.get(10, TimeUnit.SECONDS);
    }
    assertEquals(List.of("second staged", "first gives its slot back", "second started"), events);
  }

  /** At most N stage at once: the N+1st waits until one of them starts (or ends). */
  @Test
  void atMostNStageAtOnce() throws Exception {
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      ConfigScheduler.Slot first = s.acquire();
      CompletableFuture<ConfigScheduler.Slot> next = CompletableFuture.supplyAsync(s::acquire);
      Thread.sleep(200);
      assertFalse(next.isDone(), "a second config staged while the first still stages");
      Future<?> a =
          s.run(
              first,
              () -> {
                first.start();
                Thread.sleep(200);
                assertFalse(next.isDone(), "staged while the first's stack was not ready");
                first.ready();
                return null;
              });
      ConfigScheduler.Slot second = next.get(10, TimeUnit.SECONDS);
      a.get(10, TimeUnit.SECONDS);
      second.end();
    }
  }

  @Test
  void atMostNHoldASlotAndAtMostTwiceNAreAlive() throws Exception {
    int n = 2;
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger mostHolding = new AtomicInteger();
    AtomicInteger staging = new AtomicInteger();
    AtomicInteger mostStaging = new AtomicInteger();
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
                  mostStaging.accumulateAndGet(staging.incrementAndGet(), Math::max);
                  Thread.sleep(10); // certs, templates, containers created
                  slot.start();
                  mostHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
                  Thread.sleep(10); // until ready
                  staging.decrementAndGet();
                  slot.ready();
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
    assertTrue(mostStaging.get() <= n, "staging at once: " + mostStaging.get());
    assertTrue(mostLiving.get() <= 2 * n, "alive at once: " + mostLiving.get());
    assertTrue(mostLiving.get() > n, "teardowns overlapped: " + mostLiving.get());
  }

  @Test
  void aPlaceThatNeverRanIsGivenBackByEnd() throws Exception {
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      s.acquire().end();
      ConfigScheduler.Slot again = s.acquire(); // would block forever if end() leaked the place
      assertEquals("ok", s.run(again, () -> "ok").get(10, TimeUnit.SECONDS));
    }
  }

  /** A config that fails before its start (bad template, compose rejects it) frees its place. */
  @Test
  void aConfigThatEndsWhileStagingGivesItsPlaceBack() throws Exception {
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      ConfigScheduler.Slot failing = s.acquire();
      s.run(failing, () -> "failed in prepare").get(10, TimeUnit.SECONDS);
      ConfigScheduler.Slot next = s.acquire(); // would block forever if staging leaked
      Future<Boolean> b =
          s.run(
              next,
              () -> {
                next.start(); // and the slot was never taken
                return next.held();
              });
      assertTrue(b.get(10, TimeUnit.SECONDS));
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

  /** An interrupt while a staged config waits for its slot: an interrupted run, nothing held. */
  @Test
  void anInterruptedWaitForASlotIsAnInterruptedRun() throws Exception {
    try (ConfigScheduler s = new ConfigScheduler(1)) {
      ConfigScheduler.Slot first = s.acquire();
      first.start();
      first.ready();
      ConfigScheduler.Slot second = s.acquire();
      Thread.currentThread().interrupt();
      TestrigException e = assertThrows(TestrigException.class, second::start);
      assertEquals(ExitCode.INTERRUPTED, e.exitCode());
      assertTrue(Thread.interrupted(), "the interrupt is kept");
      assertFalse(second.held());
      second.end();
      first.end();
      ConfigScheduler.Slot third = s.acquire();
      third.start(); // would block forever if the interrupted wait had leaked the slot
      assertTrue(third.held());
      third.end();
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
    List<String> atStart = new ArrayList<>();
    List<String> atReady = new ArrayList<>();
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
            new ConfigRun.Turns(
                () -> {
                  atStart.add(out.toString());
                  try {
                    Thread.sleep(20); // the slot is taken: the wait shows
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                },
                () -> atReady.add(out.toString()),
                () -> atRelease.add(out.toString())));
    ConfigRun.Result r = run.run();
    assertEquals(ExitCode.OK, r.infra());
    // Without a stack the config takes its slot right before its suites, after its prepare.
    assertEquals(1, atStart.size(), "started once");
    assertTrue(atStart.get(0).contains("<== prepare.2 ok"), atStart.get(0));
    assertTrue(
        out.toString().matches("(?s).*\\[a=2\\] staged; waited [0-9]+ ms for a free slot\n.*"),
        out.toString());
    assertEquals(1, atReady.size(), "ready once");
    assertEquals(1, atRelease.size(), "released once");
    assertTrue(atRelease.get(0).contains("<== prepare.2 ok"), atRelease.get(0));
    assertFalse(atRelease.get(0).contains("Tearing down"), atRelease.get(0));
    assertTrue(out.toString().contains("<== teardown.2 ok"), out.toString());
    assertFalse(
        Files.exists(dir.resolve("run").resolve(config.slug()).resolve("config.json")),
        "the teardown still wiped the run directory");
  }
}

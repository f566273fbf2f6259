package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbePacerTest {
  @Test
  void pausesAreShortWhileTheServiceIsYoungThenATenthOfItsWaitUpToTheCap() {
    ProbePacer.Backoff b = new ProbePacer.Backoff();
    assertEquals(ProbePacer.FIRST_MS, b.next(0));
    assertEquals(ProbePacer.FIRST_MS, b.next(900));
    assertEquals(150, b.next(1_500));
    assertEquals(300, b.next(3_000));
    assertEquals(ProbePacer.MAX_MS, b.next(60_000));
    // A service ready 1.5 s after its start (probes taking 100 ms each) is probed about 8 times by
    // then and seen within 0.25 s; one that takes a minute costs about one probe a second.
    long t = 0;
    int probes = 0;
    long gap = 0;
    ProbePacer.Backoff fresh = new ProbePacer.Backoff();
    while (t < 1_500) {
      gap = fresh.next(t) + 100;
      t += gap;
      probes++;
    }
    assertTrue(probes >= 6 && probes <= 10, "probes in the first 1.5 s: " + probes);
    assertTrue(gap <= 250, "the gap around 1.5 s: " + gap);
    int late = 0;
    for (t = 10_000; t < 70_000; t += fresh.next(t) + 100) {
      late++;
    }
    assertTrue(late <= 60, "probes in a minute of a slow service: " + late);
    // After a change, one short pause, then back in proportion.
    b.reset();
    assertEquals(ProbePacer.FIRST_MS, b.next(60_000));
    assertEquals(ProbePacer.MAX_MS, b.next(60_000));
  }

  @Test
  void neverMoreProbesInFlightThanTheBudget() throws Exception {
    ProbePacer pacer = new ProbePacer(2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch twoIn = new CountDownLatch(2);
    AtomicInteger done = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  pacer.call(
                      () -> {
                        twoIn.countDown();
                        release.await();
                        return null;
                      });
                  done.incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      threads.add(t);
      t.start();
    }
    assertTrue(twoIn.await(30, TimeUnit.SECONDS));
    release.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertEquals(8, done.get());
    assertEquals(2, pacer.mostInFlight());
    assertEquals(2, pacer.permits());
  }

  @Test
  void theBudgetIsSizedToTheMachineWithinBounds() {
    int p = ProbePacer.forThisMachine().permits();
    assertTrue(p >= 2 && p <= 8, "permits " + p);
    assertThrows(IllegalArgumentException.class, () -> new ProbePacer(0));
  }
}

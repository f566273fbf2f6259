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
  void backoffStartsShortGrowsAndStopsAtTheCap() {
    ProbePacer.Backoff b = new ProbePacer.Backoff();
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pauses.add(b.next());
    }
    assertEquals(ProbePacer.FIRST_MS, pauses.get(0));
    assertEquals(Math.round(ProbePacer.FIRST_MS * ProbePacer.FACTOR), pauses.get(1));
    for (int i = 1; i < pauses.size(); i++) {
      assertTrue(pauses.get(i) >= pauses.get(i - 1), pauses.toString());
      assertTrue(pauses.get(i) <= ProbePacer.MAX_MS, pauses.toString());
    }
    assertEquals(ProbePacer.MAX_MS, pauses.get(19));
    // A service that is ready 1.5 s after its start is probed at least 6 times by then, so it is
    // seen within one short pause, while a slow one costs about one probe a second.
    long t = 0;
    int probes = 0;
    ProbePacer.Backoff fresh = new ProbePacer.Backoff();
    while (t < 1_500) {
      t += fresh.next();
      probes++;
    }
    assertTrue(probes >= 6, "probes in the first 1.5 s: " + probes);
    b.reset();
    assertEquals(ProbePacer.FIRST_MS, b.next());
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

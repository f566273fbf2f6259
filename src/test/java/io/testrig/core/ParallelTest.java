package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void resultsComeInTheItemsOrder() {
    List<Integer> items = IntStream.range(0, 50).boxed().toList();
    assertEquals(items.stream().map(i -> i * 2).toList(), Parallel.map(items, i -> i * 2));
    assertEquals(List.of(), Parallel.map(List.<Integer>of(), i -> i));
  }

  @Test
  void callsRunAtTheSameTimeEvenOnFewCores() {
    // Each call waits for all three to have started: with one thread at a time (the common
    // ForkJoinPool's parallelism on 2 cores) this would never finish.
    CountDownLatch allStarted = new CountDownLatch(3);
    List<Boolean> met =
        Parallel.map(
            List.of(1, 2, 3),
            i -> {
              allStarted.countDown();
              try {
                return allStarted.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertEquals(List.of(true, true, true), met);
  }

  @Test
  void atMostTheGivenNumberOfCallsAreInFlight() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Parallel.map(
        IntStream.range(0, 40).boxed().toList(),
        i -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return inFlight.decrementAndGet();
        },
        3);
    assertTrue(most.get() <= 3, "most in flight: " + most.get());
  }

  @Test
  void everyCallRunsAndTheFirstFailureIsRethrown() {
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    IllegalStateException boom = new IllegalStateException("boom 1");
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () ->
                Parallel.map(
                    List.of(0, 1, 2, 3),
                    i -> {
                      ran.add(i);
                      if (i == 1) {
                        throw boom;
                      }
                      if (i == 3) {
                        throw new IllegalArgumentException("boom 3");
                      }
                      return i;
                    }));
    assertSame(boom, thrown);
    assertEquals(Set.of(0, 1, 2, 3), ran);
  }

  @Test
  void noThreadOutlivesTheCall() throws Exception {
    List<Thread> seen = new ArrayList<>();
    Parallel.map(
        List.of(1, 2, 3, 4),
        i -> {
          synchronized (seen) {
            seen.add(Thread.currentThread());
          }
          return i;
        });
    for (Thread t : seen) {
      t.join(30_000);
      assertTrue(!t.isAlive() || t == Thread.currentThread(), t.getName());
    }
  }
}

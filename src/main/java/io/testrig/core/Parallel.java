package io.testrig.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one engine call per item on a small pool of its own threads, for work that mostly waits on
 * the engine (removing containers, reading logs). Not the common ForkJoinPool: on a 2-core machine
 * its parallelism is 1, which made "parallel" removal run one container at a time (issue 11).
 */
public final class Parallel {
  /** At most this many calls in flight: the engine serialises much of its work anyway. */
  public static final int MAX_THREADS = 16;

  private Parallel() {}

  /**
   * {@code fn} applied to every item, results in the items' order. Every call runs to its end; the
   * first exception a call threw is rethrown afterwards (an unchecked one as it is).
   */
  public static <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> fn) {
    return map(items, fn, MAX_THREADS);
  }

  /** As {@link #map(List, Function)}, with at most {@code maxThreads} calls in flight. */
  public static <T, R> List<R> map(
      List<T> items, Function<? super T, ? extends R> fn, int maxThreads) {
    int threads = Math.min(maxThreads, items.size());
    if (threads <= 1) {
      List<R> out = new ArrayList<>();
      items.forEach(i -> out.add(fn.apply(i)));
      return out;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "testrig-parallel-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<? extends R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> fn.apply(item)));
      }
      return collect(futures);
    } finally {
      pool.shutdown();
    }
  }

  private static <R> List<R> collect(List<Future<? extends R>> futures) {
    List<R> out = new ArrayList<>();
    RuntimeException first = null;
    for (Future<? extends R> f : futures) {
      try {
        out.add(awaitUninterruptibly(f));
      } catch (ExecutionException e) {
        out.add(null);
        if (first == null) {
          first =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new IllegalStateException(e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  /** Teardown must finish what it started: an interrupt is kept for the caller, not acted on. */
  private static <R> R awaitUninterruptibly(Future<R> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

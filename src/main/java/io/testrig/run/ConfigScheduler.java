package io.testrig.run;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Schedules the configs of {@code testrig run --parallel N}: at most N of them between their start
 * and the end of their suites (a <em>slot</em>), and at most 2N alive at all. A config gives its
 * slot back before its teardown, so the next config's certs, templates and bring-up overlap that
 * teardown instead of waiting for it (issue 11: the matrix lost a teardown per wave). Configs get
 * their slots in the order they are asked for, so they start in matrix order.
 */
final class ConfigScheduler implements AutoCloseable {
  private final Semaphore slots;
  private final Semaphore alive;
  private final ExecutorService pool;

  /**
   * A slot held by one config: {@link #release()} gives it back (once; later calls do nothing),
   * {@link #end()} also ends the config's life.
   */
  static final class Slot {
    private final Semaphore slots;
    private final Semaphore alive;
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final AtomicBoolean living = new AtomicBoolean(true);

    private Slot(Semaphore slots, Semaphore alive) {
      this.slots = slots;
      this.alive = alive;
    }

    void release() {
      if (held.compareAndSet(true, false)) {
        slots.release();
      }
    }

    /** The config is over (or never ran): its slot, if still held, and its place among the 2N. */
    void end() {
      release();
      if (living.compareAndSet(true, false)) {
        alive.release();
      }
    }

    boolean held() {
      return held.get();
    }
  }

  ConfigScheduler(int parallel) {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel < 1: " + parallel);
    }
    this.slots = new Semaphore(parallel, true);
    this.alive = new Semaphore(2 * parallel, true);
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "testrig-config");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Waits until a config may start (a free slot, and fewer than 2N alive) and returns its slot; the
   * caller then passes it to {@link #run}.
   */
  Slot acquire() {
    try {
      alive.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted", e);
    }
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      alive.release();
      Thread.currentThread().interrupt();
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted", e);
    }
    return new Slot(slots, alive);
  }

  /**
   * Runs {@code work} on a thread of its own; the slot is released when the work releases it or
   * ends, whichever comes first. A slot that never reaches this must be {@link Slot#end() ended}.
   */
  <T> Future<T> run(Slot slot, Callable<T> work) {
    return pool.submit(
        () -> {
          try {
            return work.call();
          } finally {
            slot.end();
          }
        });
  }

  /** Interrupts what still runs (a failure elsewhere, or the caller is done). */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}

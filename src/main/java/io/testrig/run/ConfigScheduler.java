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
 * Schedules the configs of {@code testrig run --parallel N}. A config passes three stages:
 *
 * <ol>
 *   <li><em>staging</em> (at most N at once): certs, templates, {@code docker compose config} and
 *       the containers created, none started; it ends when the config {@link Slot#start() takes a
 *       slot};
 *   <li><em>running</em>, holding a slot (at most N at once): its containers started until ready,
 *       then its suites; it ends when the config {@link Slot#release() gives the slot back}, before
 *       its teardown;
 *   <li>teardown and wipe.
 * </ol>
 *
 * At most 2N are alive at all. Issue 11: the next config's certs, templates, compose model and
 * container creation overlap the running configs' readiness waits and suites instead of following
 * them, so when a slot frees up the next config only starts its containers; and its start overlaps
 * the teardown of the config that gave the slot back. Configs enter staging in the order they are
 * asked for, so they start in matrix order.
 */
final class ConfigScheduler implements AutoCloseable {
  private final Semaphore staging;
  private final Semaphore slots;
  private final Semaphore alive;
  private final ExecutorService pool;

  /**
   * One config's place: staging from {@link #acquire()} until {@link #ready()}, a slot from {@link
   * #start()} until {@link #release()} (later calls do nothing); {@link #end()} gives back whatever
   * it still holds and ends the config's life.
   */
  static final class Slot {
    private final ConfigScheduler owner;
    private final AtomicBoolean staged = new AtomicBoolean(true);
    private final AtomicBoolean held = new AtomicBoolean();
    private final AtomicBoolean living = new AtomicBoolean(true);

    private Slot(ConfigScheduler owner) {
      this.owner = owner;
    }

    /**
     * Waits for a slot. Called by the config's own thread right before its containers start; a
     * second call does nothing.
     */
    void start() {
      if (held.get() || !staged.get()) {
        return;
      }
      acquireOrInterrupted(owner.slots);
      held.set(true);
    }

    /** The config's stack is ready: it leaves staging, and the next config may begin its own. */
    void ready() {
      leaveStaging();
    }

    /** The suites are over (or the config never ran): its slot, or its staging place, goes back. */
    void release() {
      leaveStaging();
      if (held.compareAndSet(true, false)) {
        owner.slots.release();
      }
    }

    /** The config is over (or never ran): what it still holds, and its place among the 2N. */
    void end() {
      release();
      if (living.compareAndSet(true, false)) {
        owner.alive.release();
      }
    }

    boolean held() {
      return held.get();
    }

    boolean staged() {
      return staged.get();
    }

    private void leaveStaging() {
      if (staged.compareAndSet(true, false)) {
        owner.staging.release();
      }
    }
  }

  ConfigScheduler(int parallel) {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel < 1: " + parallel);
    }
    this.staging = new Semaphore(parallel, true);
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
   * Waits until a config may begin (a staging place, and fewer than 2N alive) and returns its
   * place; the caller then passes it to {@link #run}.
   */
  Slot acquire() {
    acquireOrInterrupted(alive);
    try {
      acquireOrInterrupted(staging);
    } catch (TestrigException e) {
      alive.release();
      throw e;
    }
    return new Slot(this);
  }

  /**
   * Runs {@code work} on a thread of its own; whatever the work did not give back goes back when it
   * ends. A place that never reaches this must be {@link Slot#end() ended}.
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

  private static void acquireOrInterrupted(Semaphore s) {
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestrigException(ExitCode.INTERRUPTED, "interrupted", e);
    }
  }
}

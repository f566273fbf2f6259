package io.testrig.compose;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Paces the readiness probes of one bring-up so a large stack does not flood the engine (issue 11:
 * a fixed 150 ms poll made 30 services send about 200 {@code docker exec}s a second, which slowed
 * the very container starts being waited for):
 *
 * <ul>
 *   <li>a global budget: at most {@code permits} probes (inspect, exec, connect) in flight at once,
 *       sized to the cores, since each exec costs the engine a process start in the container;
 *   <li>a per-service {@link Backoff}: the first probes come fast (a service that is ready quickly
 *       is seen quickly), later ones further apart, up to {@link #MAX_MS};
 *   <li>the engine's own events wake a service's waiter at once ({@link EventWatch#await(
 *       java.util.Collection, long)}): a health event makes the next poll succeed without an exec;
 *   <li>while container starts are in flight, services nobody waits on hold their probes ({@link
 *       #awaitNoStarts}): an exec costs the engine about 65 ms of CPU (dockerd, containerd and the
 *       shim's runc, measured here), the same work a start needs, and such a service's readiness
 *       only matters once every container is started. On 2 cores, 60 services with a healthcheck
 *       took 16.2 s from the first start to the last with probes during the starts, 11.5 s without
 *       (compose {@code up -d}: 11.7 s).
 * </ul>
 */
final class ProbePacer {
  /** The first pause between two probes of one service. */
  static final long FIRST_MS = 100;

  /** The longest pause: how late at worst a service is seen ready after its check passes. */
  static final long MAX_MS = 1_000;

  /** The pause as a share of the time since the service's start. */
  static final double SHARE = 0.1;

  private final Semaphore permits;
  private final int size;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final Object starts = new Object();
  private int startsInFlight;

  ProbePacer(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits < 1: " + permits);
    }
    this.size = permits;
    this.permits = new Semaphore(permits, true);
  }

  /** A budget of twice the cores (an exec mostly waits on the engine), at least 2, at most 8. */
  static ProbePacer forThisMachine() {
    return new ProbePacer(Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors())));
  }

  /** One probe step that may call the engine. */
  @FunctionalInterface
  interface Probe<T> {
    T call() throws InterruptedException;
  }

  /** Runs {@code probe} within the budget: waits for a permit first. */
  <T> T call(Probe<T> probe) throws InterruptedException {
    permits.acquire();
    try {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return probe.call();
    } finally {
      inFlight.decrementAndGet();
      permits.release();
    }
  }

  /** A container start request begins; every call is followed by one {@link #startEnded()}. */
  void startBegun() {
    synchronized (starts) {
      startsInFlight++;
    }
  }

  /** A container start request returned (or failed). */
  void startEnded() {
    synchronized (starts) {
      if (--startsInFlight == 0) {
        starts.notifyAll();
      }
    }
  }

  /** Some container start request has not returned yet. */
  boolean starting() {
    synchronized (starts) {
      return startsInFlight > 0;
    }
  }

  /** Waits up to {@code millis} until no start request is in flight; true when none is. */
  boolean awaitNoStarts(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    synchronized (starts) {
      long left;
      while (startsInFlight > 0 && (left = deadline - System.nanoTime()) > 0) {
        starts.wait(Math.max(1, left / 1_000_000L));
      }
      return startsInFlight == 0;
    }
  }

  /** The budget. */
  int permits() {
    return size;
  }

  /** The most probes that were ever in flight at once (never above {@link #permits()}). */
  int mostInFlight() {
    return mostInFlight.get();
  }

  /**
   * The pauses between the probes of one service: {@link #FIRST_MS} while it is young, then {@link
   * #SHARE} of the time since its start, up to {@link #MAX_MS}. A service is so seen ready at most
   * about a tenth of its own wait late (plus one probe's time), while a slow one costs about one
   * probe a second. A geometric back-off (100 ms, times 1.3) made as many probes by 1.5 s but was
   * up to 0.37 s late there: half a second on every bring-up's critical path at N = 1.
   */
  static final class Backoff {
    private boolean soon;

    /** The pause before the next probe, {@code elapsedMs} after the service's start request. */
    long next(long elapsedMs) {
      if (soon) {
        soon = false;
        return FIRST_MS;
      }
      return Math.max(FIRST_MS, Math.min(MAX_MS, Math.round(elapsedMs * SHARE)));
    }

    /** One short pause next: something changed (the container restarted, an event came). */
    void reset() {
      soon = true;
    }
  }
}

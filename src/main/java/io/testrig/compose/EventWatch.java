package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ContainerEvent;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.Subscription;
import io.testrig.core.Background;
import io.testrig.engine.Labels;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows the engine's container events of one project: health_status and die wake the readiness
 * waiters at once instead of at their next poll. The stream is closed by {@link #close()}.
 */
final class EventWatch implements AutoCloseable {
  private final Set<String> healthy = ConcurrentHashMap.newKeySet();
  private final Set<String> died = ConcurrentHashMap.newKeySet();
  private final Map<String, String> exitCodes = new ConcurrentHashMap<>();
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Subscription stream;
  private final AtomicBoolean closed = new AtomicBoolean();

  EventWatch(Backend backend, String project) {
    // since = this second: events between the request and the stream being attached are replayed.
    stream =
        backend.events(
            LabelFilter.of(Labels.COMPOSE_PROJECT, project),
            System.currentTimeMillis() / 1000,
            this::onEvent);
  }

  private void onEvent(ContainerEvent e) {
    String action = e.action();
    String id = e.containerId();
    if (action.equals("health_status: healthy")) {
      healthy.add(id);
    } else if (action.equals("die") || action.equals("oom")) {
      died.add(id);
      String code = e.attributes().get("exitCode");
      if (code != null) {
        exitCodes.put(id, code);
      }
    } else if (action.equals("start")) {
      died.remove(id);
    } else {
      return;
    }
    seen.merge(id, 1L, Long::sum);
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** The engine itself reported the container healthy. */
  boolean healthy(String containerId) {
    return healthy.contains(containerId);
  }

  boolean died(String containerId) {
    return died.contains(containerId);
  }

  /** The exit code of the container's last die event, or null. */
  String exitCode(String containerId) {
    return exitCodes.get(containerId);
  }

  /**
   * Sleeps up to {@code millis}, waking early only on a health, die or start event of one of {@code
   * ids}: with many services, one service's events must not wake (and re-probe) all the others.
   */
  void await(Collection<String> ids, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    long before = eventsOf(ids);
    synchronized (signal) {
      long left;
      while (eventsOf(ids) == before && (left = deadline - System.nanoTime()) > 0) {
        signal.wait(Math.max(1, left / 1_000_000L));
      }
    }
  }

  private long eventsOf(Collection<String> ids) {
    long n = 0;
    for (String id : ids) {
      n += seen.getOrDefault(id, 0L);
    }
    return n;
  }

  /**
   * Subscribes on a thread of its own, so the subscription (a round trip, and the events verb's
   * first use) overlaps what comes before the first start, {@code up --no-start} (issue 11).
   */
  static CompletableFuture<EventWatch> opening(Backend backend, String project) {
    return Background.start("events-" + project, () -> new EventWatch(backend, project));
  }

  /** The watch {@link #opening} subscribed, or the subscription's own failure. */
  static EventWatch opened(CompletableFuture<EventWatch> f) throws InterruptedException {
    return Background.await(f);
  }

  /** Closes the stream once; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stream.close();
    }
  }
}

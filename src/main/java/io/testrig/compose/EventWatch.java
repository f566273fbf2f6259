package io.testrig.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.testrig.engine.Labels;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the engine's container events of one project: health_status and die wake the readiness
 * waiters at once instead of at their next poll. Uses the {@code Action}/{@code Actor} fields (the
 * old {@code status}/{@code id} fields are deprecated since API 1.22,
 * https://docs.docker.com/reference/api/engine/version-history/). The stream is closed by {@link
 * #close()}.
 */
final class EventWatch implements AutoCloseable {
  private final Set<String> healthy = ConcurrentHashMap.newKeySet();
  private final Set<String> died = ConcurrentHashMap.newKeySet();
  private final Map<String, String> exitCodes = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final ResultCallback.Adapter<Event> callback;

  EventWatch(DockerClient client, String project) {
    // since = this second: events between the request and the stream being attached are replayed.
    String since = Long.toString(System.currentTimeMillis() / 1000);
    callback =
        client
            .eventsCmd()
            .withSince(since)
            .withEventTypeFilter(EventType.CONTAINER)
            .withLabelFilter(Labels.COMPOSE_PROJECT + "=" + project)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Event e) {
                    String action = e.getAction() == null ? "" : e.getAction();
                    String id = e.getActor() == null ? null : e.getActor().getId();
                    if (id == null) {
                      return;
                    }
                    if (action.equals("health_status: healthy")) {
                      healthy.add(id);
                    } else if (action.equals("die") || action.equals("oom")) {
                      died.add(id);
                      Map<String, String> a = e.getActor().getAttributes();
                      if (a != null && a.get("exitCode") != null) {
                        exitCodes.put(id, a.get("exitCode"));
                      }
                    } else if (action.equals("start")) {
                      died.remove(id);
                    } else {
                      return;
                    }
                    synchronized (signal) {
                      signal.notifyAll();
                    }
                  }
                });
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

  /** Sleeps up to {@code millis}, waking early on a health or die event. */
  void await(long millis) throws InterruptedException {
    synchronized (signal) {
      signal.wait(millis);
    }
  }

  @Override
  public void close() {
    try {
      callback.close();
    } catch (IOException e) {
      // The stream is gone either way.
    }
  }
}

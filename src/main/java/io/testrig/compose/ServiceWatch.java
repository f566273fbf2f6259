package io.testrig.compose;

import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watches a ready stack's long-running services while the suites run, so a service that dies
 * meanwhile is reported as itself (its name, exit code and last log lines) instead of only as the
 * suites' own connection errors (issue 7, item 9). Die events of the project are followed from
 * {@link Stack#watch()} on, and each {@link #deaths()} call also inspects the containers, so a
 * container that died and was restarted by its restart policy is caught too. One-shot services
 * (done before the suites began) are not watched; an exit code of 0 is an ordinary end, not a
 * death.
 */
public final class ServiceWatch implements AutoCloseable {
  /** A watched service that stopped: {@code message} is one line for the console and the report. */
  public record Death(String service, long exitCode, boolean oomKilled, String message) {}

  private static final int TAIL_LINES = 5;

  private final Stack stack;
  private final EventWatch events;
  private final Map<String, String> watched = new LinkedHashMap<>(); // container id -> service
  private final Set<String> reported = new TreeSet<>();

  ServiceWatch(Stack stack) {
    this.stack = stack;
    this.events = new EventWatch(stack.backend(), stack.projectName());
    Set<String> longRunning = new TreeSet<>();
    for (ServiceStatus s : stack.services()) {
      if (s.state() == ServiceStatus.State.READY) {
        longRunning.add(s.service());
      }
    }
    try {
      Stack.containersByService(stack.backend(), stack.projectName())
          .forEach(
              (service, ids) -> {
                if (longRunning.contains(service)) {
                  ids.forEach(id -> watched.put(id, service));
                }
              });
    } catch (RuntimeException e) {
      events.close(); // no event stream left open behind a failed start
      throw e;
    }
  }

  /** Services that died since the watch began and were not reported by an earlier call. */
  public synchronized List<Death> deaths() {
    List<Death> out = new ArrayList<>();
    for (Map.Entry<String, String> e : watched.entrySet()) {
      String id = e.getKey();
      String service = e.getValue();
      if (reported.contains(id)) {
        continue;
      }
      Death d = check(id, service);
      if (d != null) {
        reported.add(id);
        out.add(d);
      }
    }
    return out;
  }

  private Death check(String id, String service) {
    ContainerInfo st;
    try {
      st = stack.backend().inspectContainer(id);
    } catch (BackendException.NotFound e) {
      return death(service, -1, false, "its container was removed");
    }
    boolean running = st.running();
    boolean oom = st.oomKilled();
    String evCode = events.exitCode(id);
    if (running) {
      if (evCode == null || "0".equals(evCode)) {
        return null;
      }
      long code = parse(evCode);
      return death(service, code, oom, "exited with " + code + " and was restarted");
    }
    Long code = st.exitCode();
    long c = code == null ? parse(evCode) : code;
    if (c == 0 && !oom) {
      return null;
    }
    return death(service, c, oom, "exited with " + c + (oom ? " (killed by the OOM killer)" : ""));
  }

  private Death death(String service, long code, boolean oom, String what) {
    String logs;
    try {
      stack.saveLogs();
      logs =
          "; last log lines: "
              + stack.tail(service, TAIL_LINES)
              + "; log: "
              + stack.logsDir().resolve(service + ".log");
    } catch (RuntimeException e) {
      logs = "; its log could not be saved: " + e.getMessage();
    }
    return new Death(
        service,
        code,
        oom,
        "service '" + service + "' stopped while the suites ran: " + what + logs);
  }

  private static long parse(String code) {
    try {
      return code == null ? -1 : Long.parseLong(code);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    events.close();
  }
}

package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerInfo;
import io.testrig.compose.ServiceStatus.State;
import io.testrig.core.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The readiness stage of one started service: polls its containers, paced by a {@link ProbePacer}
 * (a global budget of probes in flight, pauses that grow with the wait from {@value
 * ProbePacer#FIRST_MS} ms to {@value ProbePacer#MAX_MS} ms, woken early by the containers' own
 * health, die and start events) until all are ready, one fails, another service fails first, or the
 * service's timeout passes. A one-shot service is ready when it exited 0; a long-running one when
 * its {@link Check} passes or the engine reports it healthy. A service no other one waits for holds
 * its looks while other containers are starting ({@link ProbePacer#awaitNoStarts}).
 */
final class Readiness {
  private final Backend backend;
  private final EventWatch events;
  private final String service;
  private final boolean oneShot;
  private final Duration timeout;
  private final Function<ContainerInfo, Check> checkFor;
  private final BooleanSupplier aborted;
  private final Map<String, String> ips;
  private final ProbePacer pacer;
  private final boolean holdWhileStarting;
  private final ProbePacer.Backoff backoff = new ProbePacer.Backoff();

  private final Map<String, Boolean> ready = new LinkedHashMap<>();
  private Check check;
  private String how;
  private String lastWhy = "not started";
  private String lastState = "created";
  private boolean all;

  Readiness(
      Backend backend,
      EventWatch events,
      String service,
      boolean oneShot,
      Duration timeout,
      Function<ContainerInfo, Check> checkFor,
      BooleanSupplier aborted,
      Map<String, String> ips,
      ProbePacer pacer,
      boolean holdWhileStarting) {
    this.backend = backend;
    this.events = events;
    this.service = service;
    this.oneShot = oneShot;
    this.timeout = timeout;
    this.checkFor = checkFor;
    this.aborted = aborted;
    this.ips = ips;
    this.pacer = pacer;
    this.holdWhileStarting = holdWhileStarting;
  }

  /** Polls the started containers until a decision; {@code t0} is the start request. */
  ServiceStatus await(List<String> ids, long t0) throws InterruptedException {
    try {
      while (true) {
        if (holdWhileStarting && pacer.starting()) {
          // No look (and no timeout) before other starts are done: see ProbePacer.
          if (aborted.getAsBoolean()) {
            return Bringup.skipped(service, "another service failed first");
          }
          pacer.awaitNoStarts(ProbePacer.MAX_MS);
          continue;
        }
        all = true;
        for (String id : ids) {
          if (Boolean.TRUE.equals(ready.get(id))) {
            continue;
          }
          ServiceStatus failed = poll(id, t0);
          if (failed != null) {
            return failed;
          }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        if (all) {
          return ready(elapsed);
        }
        if (aborted.getAsBoolean()) {
          return Bringup.skipped(service, "another service failed first");
        }
        if (elapsed.compareTo(timeout) > 0) {
          return Bringup.failed(service, "timeout", t0, timeoutMessage());
        }
        events.await(ids, backoff.next(elapsed.toMillis()));
      }
    } finally {
      if (check != null) {
        check.close();
      }
    }
  }

  private String timeoutMessage() {
    return "service '"
        + service
        + "' not ready within "
        + Durations.exact(timeout)
        + " ("
        + lastState
        + ", "
        + lastWhy
        + ")";
  }

  private void pending(String why) {
    all = false;
    lastWhy = why;
  }

  /** One look at one container; a failed status when it is gone or failed, else null. */
  private ServiceStatus poll(String id, long t0) throws InterruptedException {
    ContainerInfo c;
    try {
      c = pacer.call(() -> backend.inspectContainer(id));
    } catch (BackendException.NotFound e) {
      return Bringup.failed(
          service, "gone", t0, "service '" + service + "': its container was removed");
    }
    if (!String.valueOf(c.status()).equals(lastState)) {
      backoff.reset(); // e.g. restarting -> running: probe soon again
    }
    lastState = c.status();
    if (c.ip() != null) {
      ips.putIfAbsent(service, c.ip());
    }
    if (!c.running()) {
      return notRunning(id, t0, c);
    }
    if (oneShot) {
      pending("one-shot service still running");
      return null;
    }
    if (check == null) {
      check = checkFor.apply(c);
      how = check.describe();
    }
    if (events.healthy(id)) {
      ready.put(id, true);
      how = "health event";
      return null;
    }
    ContainerInfo running = c;
    String why = pacer.call(() -> check.test(running));
    if (why == null) {
      ready.put(id, true);
    } else {
      pending(why);
    }
    return null;
  }

  /**
   * A container that is not running: exit 0 counts as done for a one-shot service (or one with no
   * check beyond running); any other exit fails the service; created or restarting is pending.
   */
  private ServiceStatus notRunning(String id, long t0, ContainerInfo st) {
    if ("exited".equals(st.status()) || "dead".equals(st.status())) {
      Long code = st.exitCode();
      boolean oom = st.oomKilled();
      if (code != null
          && code == 0
          && !oom
          && (oneShot || check == null || "running".equals(how))) {
        ready.put(id, true);
        how = "exited 0";
        return null;
      }
      return Bringup.failed(
          service,
          "exited",
          t0,
          "service '"
              + service
              + "' exited with "
              + code
              + (oom ? " (killed by the OOM killer)" : "")
              + (code != null && code == 0 ? " before it was ready" : ""));
    }
    pending("container " + st.status());
    return null;
  }

  /** All containers ready: ready, or done for a one-shot that exited 0. */
  private ServiceStatus ready(Duration elapsed) {
    boolean done = "exited 0".equals(how);
    String msg =
        String.format("%s after %d ms (%s)", done ? "done" : "ready", elapsed.toMillis(), how);
    return new ServiceStatus(service, done ? State.DONE : State.READY, how, elapsed, msg);
  }
}

package io.testrig.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.testrig.compose.ServiceStatus.State;
import io.testrig.core.Durations;
import io.testrig.core.Text;
import io.testrig.engine.Engine;
import io.testrig.rig.StackSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts created containers in depends_on order and decides when each service is ready.
 *
 * <p>Why not {@code docker compose up -d}: compose itself blocks a dependent on {@code condition:
 * service_healthy} until the engine's own healthcheck passes, which first runs one {@code interval}
 * after start (30 s by default). So testrig lets compose create everything ({@code up --no-start}:
 * networks, volumes, containers with their labels) and starts each container itself through the API
 * as soon as its dependencies meet their condition by testrig's own readiness: the healthcheck's
 * test run by docker exec every {@value #POLL_MS} ms, woken early by health and die events, or the
 * rig's probe.
 *
 * <p>Conditions (https://docs.docker.com/reference/compose-file/services/#depends_on): {@code
 * service_started} waits for the start, {@code service_healthy} for readiness, {@code
 * service_completed_successfully} for exit 0.
 */
final class Bringup {
  static final long POLL_MS = 150;

  private final DockerClient client;
  private final Engine engine;
  private final ComposeModel model;
  private final List<String> enabled;
  private final StackSpec spec;
  private final Map<String, List<String>> containers;
  private final ProgressListener progress;
  private final EventWatch events;
  private final Set<String> oneShot;
  private final AtomicBoolean abort = new AtomicBoolean();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, String> ips = new ConcurrentHashMap<>();

  private static final class Node {
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
  }

  Bringup(
      Engine engine,
      ComposeModel model,
      List<String> enabled,
      StackSpec spec,
      Map<String, List<String>> containers,
      ProgressListener progress,
      EventWatch events) {
    this.engine = engine;
    this.client = engine.client();
    this.model = model;
    this.enabled = enabled;
    this.spec = spec;
    this.containers = containers;
    this.progress = progress;
    this.events = events;
    this.oneShot = model.oneShot(enabled);
    for (String s : enabled) {
      nodes.put(s, new Node());
    }
  }

  /** Brings every enabled service up; the statuses in model order (failures included). */
  List<ServiceStatus> run() throws InterruptedException {
    Map<String, CompletableFuture<ServiceStatus>> results = new LinkedHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (String s : enabled) {
      CompletableFuture<ServiceStatus> f = new CompletableFuture<>();
      results.put(s, f);
      Thread t =
          new Thread(
              () -> {
                ServiceStatus st;
                try {
                  st = service(s);
                } catch (InterruptedException e) {
                  st =
                      new ServiceStatus(
                          s, State.SKIPPED, "interrupted", Duration.ZERO, "interrupted");
                } catch (RuntimeException e) {
                  st =
                      new ServiceStatus(
                          s,
                          State.FAILED,
                          "error",
                          Duration.ZERO,
                          "service '" + s + "': " + e.getMessage());
                }
                if (!st.ok()) {
                  abort.set(true);
                  Node n = nodes.get(s);
                  RuntimeException why = new RuntimeException(s);
                  n.started.completeExceptionally(why);
                  n.ready.completeExceptionally(why);
                  n.completed.completeExceptionally(why);
                }
                progress.onService(s, st.state(), st.message());
                f.complete(st);
              },
              "bringup-" + s);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      abort.set(true);
      throw e;
    }
    List<ServiceStatus> out = new ArrayList<>();
    results.values().forEach(f -> out.add(f.join()));
    return out;
  }

  private ServiceStatus service(String s) throws InterruptedException {
    progress.onService(s, State.WAITING, "");
    ServiceStatus notStarted = awaitDependencies(s);
    if (notStarted != null) {
      return notStarted;
    }
    List<String> ids = containers.getOrDefault(s, List.of());
    long t0 = System.nanoTime();
    progress.onService(s, State.STARTING, "");
    ServiceStatus startFailed = start(s, ids, t0);
    if (startFailed != null) {
      return startFailed;
    }
    nodes.get(s).started.complete(null);
    return awaitReady(s, ids, t0);
  }

  /**
   * Waits until each enabled dependency meets its depends_on condition; a skipped status when one
   * failed or another service failed first, else null.
   */
  private ServiceStatus awaitDependencies(String s) throws InterruptedException {
    for (Map.Entry<String, String> dep : model.dependsOn(s).entrySet()) {
      Node d = nodes.get(dep.getKey());
      if (d == null) {
        continue; // not enabled: compose's up would have refused a required one
      }
      CompletableFuture<Void> f =
          switch (dep.getValue()) {
            case "service_healthy" -> d.ready;
            case "service_completed_successfully" -> d.completed;
            default -> d.started;
          };
      try {
        while (!f.isDone()) {
          if (abort.get()) {
            return skipped(s, "another service failed first");
          }
          events.await(POLL_MS);
        }
        f.join();
      } catch (RuntimeException e) {
        return skipped(s, "dependency '" + dep.getKey() + "' failed");
      }
    }
    if (abort.get()) {
      return skipped(s, "another service failed first");
    }
    return null;
  }

  /** Starts the service's containers; a failed status when one could not start, else null. */
  private ServiceStatus start(String s, List<String> ids, long t0) {
    for (String id : ids) {
      try {
        client.startContainerCmd(id).exec();
      } catch (RuntimeException e) {
        if (!String.valueOf(e.getMessage()).contains("already started")) {
          return failed(s, "start", t0, "service '" + s + "' could not start: " + Text.oneLine(e));
        }
      }
    }
    return null;
  }

  /** What the readiness loop of one service has learnt so far. */
  private static final class Readiness {
    final boolean oneShot;
    final Map<String, Boolean> ready = new LinkedHashMap<>();
    Check check;
    String how;
    String lastWhy = "not started";
    String lastState = "created";
    boolean all;

    Readiness(boolean oneShot) {
      this.oneShot = oneShot;
    }

    void pending(String why) {
      all = false;
      lastWhy = why;
    }
  }

  /** Polls the started containers until all are ready, one fails, or the timeout passes. */
  private ServiceStatus awaitReady(String s, List<String> ids, long t0)
      throws InterruptedException {
    Duration timeout = timeout(s);
    Readiness r = new Readiness(oneShot.contains(s));
    try {
      while (true) {
        r.all = true;
        for (String id : ids) {
          if (Boolean.TRUE.equals(r.ready.get(id))) {
            continue;
          }
          ServiceStatus failed = poll(s, id, t0, r);
          if (failed != null) {
            return failed;
          }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        if (r.all) {
          return ready(s, r.how, elapsed);
        }
        if (abort.get()) {
          return skipped(s, "another service failed first");
        }
        if (elapsed.compareTo(timeout) > 0) {
          return failed(
              s,
              "timeout",
              t0,
              "service '"
                  + s
                  + "' not ready within "
                  + Durations.exact(timeout)
                  + " ("
                  + r.lastState
                  + ", "
                  + r.lastWhy
                  + ")");
        }
        events.await(POLL_MS);
      }
    } finally {
      if (r.check != null) {
        r.check.close();
      }
    }
  }

  /** One look at one container; a failed status when it is gone or failed, else null. */
  private ServiceStatus poll(String s, String id, long t0, Readiness r)
      throws InterruptedException {
    InspectContainerResponse c;
    try {
      c = client.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return failed(s, "gone", t0, "service '" + s + "': its container was removed");
    }
    var st = c.getState();
    r.lastState = st.getStatus();
    String ip = Check.ip(c);
    if (ip != null) {
      ips.putIfAbsent(s, ip);
    }
    if (!Boolean.TRUE.equals(st.getRunning())) {
      return notRunning(s, id, t0, st, r);
    }
    if (r.oneShot) {
      r.pending("one-shot service still running");
      return null;
    }
    if (r.check == null) {
      r.check = checkFor(s, c);
      r.how = r.check.describe();
    }
    if (events.healthy(id)) {
      r.ready.put(id, true);
      r.how = "health event";
      return null;
    }
    String why = r.check.test(c);
    if (why == null) {
      r.ready.put(id, true);
    } else {
      r.pending(why);
    }
    return null;
  }

  /**
   * A container that is not running: exit 0 counts as done for a one-shot service (or one with no
   * check beyond running); any other exit fails the service; created or restarting is pending.
   */
  private static ServiceStatus notRunning(
      String s, String id, long t0, InspectContainerResponse.ContainerState st, Readiness r) {
    if ("exited".equals(st.getStatus()) || "dead".equals(st.getStatus())) {
      Long code = st.getExitCodeLong();
      boolean oom = Boolean.TRUE.equals(st.getOOMKilled());
      if (code != null
          && code == 0
          && !oom
          && (r.oneShot || r.check == null || "running".equals(r.how))) {
        r.ready.put(id, true);
        r.how = "exited 0";
        return null;
      }
      return failed(
          s,
          "exited",
          t0,
          "service '"
              + s
              + "' exited with "
              + code
              + (oom ? " (killed by the OOM killer)" : "")
              + (code != null && code == 0 ? " before it was ready" : ""));
    }
    r.pending("container " + st.getStatus());
    return null;
  }

  /** All containers ready: completes the node's futures and reports ready or done. */
  private ServiceStatus ready(String s, String how, Duration elapsed) {
    Node node = nodes.get(s);
    boolean done = "exited 0".equals(how);
    node.ready.complete(null);
    if (done) {
      node.completed.complete(null);
    }
    String msg =
        String.format("%s after %d ms (%s)", done ? "done" : "ready", elapsed.toMillis(), how);
    return new ServiceStatus(s, done ? State.DONE : State.READY, how, elapsed, msg);
  }

  private Check checkFor(String s, InspectContainerResponse c) {
    StackSpec.ServiceSpec ss = spec.services().get(s);
    Check hc = Check.healthcheck(client, c);
    if (hc != null) {
      return hc;
    }
    if (ss != null && ss.probe() != null) {
      String engineHost = engine.isLocal() ? "127.0.0.1" : URI.create(engine.host()).getHost();
      return Check.probe(client, ss.probe(), engine.isLocal(), engineHost, this::ipOf);
    }
    return Check.running();
  }

  /** The IP of a service's first container, for probes that name a service as host. */
  private String ipOf(String service) {
    String ip = ips.get(service);
    if (ip != null || !containers.containsKey(service)) {
      return ip;
    }
    try {
      ip = Check.ip(client.inspectContainerCmd(containers.get(service).get(0)).exec());
    } catch (RuntimeException e) {
      return null;
    }
    if (ip != null) {
      ips.put(service, ip);
    }
    return ip;
  }

  private Duration timeout(String s) {
    StackSpec.ServiceSpec ss = spec.services().get(s);
    return ss != null && ss.timeout() != null ? ss.timeout() : spec.timeout();
  }

  private static ServiceStatus skipped(String s, String why) {
    return new ServiceStatus(
        s, State.SKIPPED, "skipped", Duration.ZERO, "service '" + s + "' not started: " + why);
  }

  private static ServiceStatus failed(String s, String how, long t0, String msg) {
    return new ServiceStatus(s, State.FAILED, how, Duration.ofNanos(System.nanoTime() - t0), msg);
  }
}

package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ContainerInfo;
import io.testrig.compose.ServiceStatus.State;
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

/**
 * Starts created containers in depends_on order and decides when each service is ready: per
 * service, in its own thread, the {@link DependencyGate}, then the start, then {@link Readiness}.
 *
 * <p>Why not {@code docker compose up -d}: compose itself blocks a dependent on {@code condition:
 * service_healthy} until the engine's own healthcheck passes, which first runs one {@code interval}
 * after start (30 s by default). So testrig lets compose create everything ({@code up --no-start}:
 * networks, volumes, containers with their labels) and starts each container itself through the
 * backend as soon as its dependencies meet their condition by testrig's own readiness: the
 * healthcheck's test run by exec, or the rig's probe, paced by one {@link ProbePacer} for the whole
 * stack and woken early by the engine's health, die and start events.
 */
final class Bringup {
  /**
   * How often a dependency wait looks at the abort flag (no engine call); a dependency that becomes
   * ready or fails wakes its dependents at once.
   */
  static final long POLL_MS = 150;

  private final Backend backend;
  private final Engine engine;
  private final ComposeModel model;
  private final List<String> enabled;
  private final StackSpec spec;
  private final Map<String, List<String>> containers;
  private final ProgressListener progress;
  private final EventWatch events;
  private final Set<String> oneShot;
  private final Set<String> waitedOn;
  private final DependencyGate gate;
  private final Map<String, String> ips = new ConcurrentHashMap<>();
  private final ProbePacer pacer = ProbePacer.forThisMachine();

  Bringup(
      Engine engine,
      ComposeModel model,
      List<String> enabled,
      StackSpec spec,
      Map<String, List<String>> containers,
      ProgressListener progress,
      EventWatch events) {
    this.engine = engine;
    this.backend = engine.backend();
    this.model = model;
    this.enabled = enabled;
    this.spec = spec;
    this.containers = containers;
    this.progress = progress;
    this.events = events;
    this.oneShot = model.oneShot(enabled);
    this.waitedOn = model.waitedOn(enabled);
    this.gate = new DependencyGate(enabled, POLL_MS);
  }

  /** Brings every enabled service up; the statuses in model order (failures included). */
  List<ServiceStatus> run() throws InterruptedException {
    Map<String, CompletableFuture<ServiceStatus>> results = new LinkedHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (String s : enabled) {
      CompletableFuture<ServiceStatus> f = new CompletableFuture<>();
      results.put(s, f);
      Thread t = new Thread(() -> f.complete(serviceReported(s)), "bringup-" + s);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      gate.abort();
      throw e;
    }
    List<ServiceStatus> out = new ArrayList<>();
    results.values().forEach(f -> out.add(f.join()));
    return out;
  }

  /** One service's whole bring-up in its thread: never throws, reports the final state. */
  private ServiceStatus serviceReported(String s) {
    ServiceStatus st;
    try {
      st = service(s);
    } catch (InterruptedException e) {
      st = new ServiceStatus(s, State.SKIPPED, "interrupted", Duration.ZERO, "interrupted");
    } catch (RuntimeException e) {
      st =
          new ServiceStatus(
              s, State.FAILED, "error", Duration.ZERO, "service '" + s + "': " + e.getMessage());
    }
    if (st.ok()) {
      gate.ready(s, st.state() == State.DONE);
    } else {
      gate.fail(s);
    }
    progress.onService(s, st.state(), st.message());
    return st;
  }

  /** Gate, start, readiness. */
  private ServiceStatus service(String s) throws InterruptedException {
    progress.onService(s, State.WAITING, "");
    String notStarted = gate.await(model.dependsOn(s));
    if (notStarted != null) {
      return skipped(s, notStarted);
    }
    List<String> ids = containers.getOrDefault(s, List.of());
    long t0 = System.nanoTime();
    progress.onService(s, State.STARTING, "");
    ServiceStatus startFailed = start(s, ids, t0);
    if (startFailed != null) {
      return startFailed;
    }
    gate.node(s).started.complete(null);
    Readiness r =
        new Readiness(
            backend,
            events,
            s,
            oneShot.contains(s),
            timeout(s),
            c -> checkFor(s, c),
            gate::aborted,
            ips,
            pacer,
            !waitedOn.contains(s));
    return r.await(ids, t0);
  }

  /** Starts the service's containers; a failed status when one could not start, else null. */
  private ServiceStatus start(String s, List<String> ids, long t0) {
    pacer.startBegun();
    try {
      return startEach(s, ids, t0);
    } finally {
      pacer.startEnded();
    }
  }

  private ServiceStatus startEach(String s, List<String> ids, long t0) {
    for (String id : ids) {
      try {
        backend.startContainer(id);
      } catch (RuntimeException e) {
        if (!String.valueOf(e.getMessage()).contains("already started")) {
          return failed(s, "start", t0, "service '" + s + "' could not start: " + Text.oneLine(e));
        }
      }
    }
    return null;
  }

  private Check checkFor(String s, ContainerInfo c) {
    StackSpec.ServiceSpec ss = spec.services().get(s);
    String engineHost = engine.isLocal() ? "127.0.0.1" : URI.create(engine.host()).getHost();
    Checks.Net net = new Checks.Net(engine.isLocal(), engineHost, this::ipOf);
    return Checks.forContainer(backend, c, ss == null ? null : ss.probe(), net);
  }

  /** The IP of a service's first container, for probes that name a service as host. */
  private String ipOf(String service) {
    String ip = ips.get(service);
    if (ip != null || !containers.containsKey(service)) {
      return ip;
    }
    try {
      ip = backend.inspectContainer(containers.get(service).get(0)).ip();
    } catch (RuntimeException e) {
      return null;
    }
    if (ip != null) {
      ips.put(service, ip);
    }
    return ip;
  }

  /** The service's own readiness timeout, else the stack's. */
  private Duration timeout(String s) {
    StackSpec.ServiceSpec ss = spec.services().get(s);
    return ss != null && ss.timeout() != null ? ss.timeout() : spec.timeout();
  }

  static ServiceStatus skipped(String s, String why) {
    return new ServiceStatus(
        s, State.SKIPPED, "skipped", Duration.ZERO, "service '" + s + "' not started: " + why);
  }

  static ServiceStatus failed(String s, String how, long t0, String msg) {
    return new ServiceStatus(s, State.FAILED, how, Duration.ofNanos(System.nanoTime() - t0), msg);
  }
}

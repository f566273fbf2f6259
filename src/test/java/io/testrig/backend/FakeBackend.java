package io.testrig.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.testrig.core.Exec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An in-memory {@link Backend} for unit tests: scripted services and containers whose states,
 * health, exit codes, exec results, logs and events follow the script on the real clock (keep the
 * durations in milliseconds), plus networks, volumes and images. Its compose steps answer {@code
 * config} with a model built from the scripted services and {@code create} by creating their
 * containers (labelled as compose labels them) and the project's default network.
 */
public final class FakeBackend implements Backend {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TIMESTAMP = "2026-01-01T00:00:00.000000000Z ";

  /** The script of one compose service (and of each container created for it). */
  public static final class Service {
    final String name;
    String image = "fake/image:1";
    final Map<String, String> dependsOn = new LinkedHashMap<>();
    final List<String> optional = new ArrayList<>();
    final List<String> profiles = new ArrayList<>();
    List<String> healthcheck;
    Duration healthyAfter;
    boolean healthEvent;
    Duration exitAfter;
    long exitCode;
    boolean oom;
    String startError;
    Duration startTakes;
    final StringBuilder log = new StringBuilder();
    int replicas = 1;
    boolean reports;
    List<ContainerInfo.Port> ports = new ArrayList<>();

    Service(String name) {
      this.name = name;
    }

    public Service image(String i) {
      image = i;
      return this;
    }

    public Service dependsOn(String service, String condition) {
      dependsOn.put(service, condition);
      return this;
    }

    /** A depends_on entry with {@code required: false}. */
    public Service optionallyDependsOn(String service, String condition) {
      optional.add(service);
      return dependsOn(service, condition);
    }

    public Service profile(String p) {
      profiles.add(p);
      return this;
    }

    /**
     * A healthcheck ({@code CMD-SHELL test}) whose exec passes from {@code after} on (null: never).
     */
    public Service healthcheck(Duration after) {
      healthcheck = List.of("CMD-SHELL", "check");
      healthyAfter = after;
      return this;
    }

    /** Also send the engine's {@code health_status: healthy} event when healthy. */
    public Service healthEvent() {
      healthEvent = true;
      return this;
    }

    /** The container exits with {@code code} this long after its start. */
    public Service exitsAfter(Duration after, long code) {
      exitAfter = after;
      exitCode = code;
      return this;
    }

    public Service oomKilled() {
      oom = true;
      return this;
    }

    /** The start request takes this long to return (a busy engine), then the container runs. */
    public Service startTakes(Duration d) {
      startTakes = d;
      return this;
    }

    public Service startFails(String message) {
      startError = message;
      return this;
    }

    public Service log(String line) {
      log.append(line).append('\n');
      return this;
    }

    /** The container has a reports directory (empty) to copy out. */
    public Service reports() {
      reports = true;
      return this;
    }

    public Service replicas(int n) {
      replicas = n;
      return this;
    }

    /** Container port {@code target}/tcp published on {@code hostIp:hostPort}. */
    public Service publishes(int target, String hostIp, int hostPort) {
      ports.add(new ContainerInfo.Port(target, "tcp", hostIp, hostPort));
      return this;
    }

    /** Container port {@code target}/tcp exposed, not published. */
    public Service exposes(int target) {
      ports.add(new ContainerInfo.Port(target, "tcp", "", 0));
      return this;
    }

    /** Inspection reports no ports at all (a backend that does not know them): null. */
    public Service portsUnknown() {
      ports = null;
      return this;
    }
  }

  /** One container's state; all fields guarded by the container itself. */
  public static final class Container {
    final String id;
    final String name;
    final Map<String, String> labels;
    final Service script;
    String status = "created";
    Long exitCode;
    boolean oom;
    boolean healthy;
    final List<Long> execNanos = new CopyOnWriteArrayList<>();

    Container(String id, String name, Map<String, String> labels, Service script) {
      this.id = id;
      this.name = name;
      this.labels = Map.copyOf(labels);
      this.script = script;
    }

    public String id() {
      return id;
    }

    public String name() {
      return name;
    }

    public synchronized String status() {
      return status;
    }

    /** When each exec (healthcheck or command probe) ran, in System.nanoTime. */
    public List<Long> execTimes() {
      return List.copyOf(execNanos);
    }

    public Map<String, String> labels() {
      return labels;
    }
  }

  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  private final Map<String, Resource> networks = new ConcurrentHashMap<>();
  private final Map<String, Resource> volumes = new ConcurrentHashMap<>();
  private final Map<String, String> volumesInUse = new ConcurrentHashMap<>();
  private final List<String> images = new CopyOnWriteArrayList<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> startReturns = new ConcurrentHashMap<>();
  private final Map<String, Integer> networkBusy = new ConcurrentHashMap<>();
  private final ScheduledExecutorService clock =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-backend-clock");
            t.setDaemon(true);
            return t;
          });
  private final List<Map.Entry<String, Long>> execLog =
      Collections.synchronizedList(new ArrayList<>());
  private Exec.Result createResult;
  private volatile boolean createWaitsForEvents;
  private final java.util.concurrent.CountDownLatch subscribed =
      new java.util.concurrent.CountDownLatch(1);
  private int nextId;

  private record Subscriber(LabelFilter filter, Consumer<ContainerEvent> sink) {}

  /** Scripts a compose service (created by {@link ComposeBackend#create}). */
  public Service service(String name) {
    return services.computeIfAbsent(name, Service::new);
  }

  /** Makes {@code create} fail with this stderr, creating nothing. */
  public void failCreate(String stderr) {
    createResult = new Exec.Result(List.of("fake"), 1, "", stderr);
  }

  /**
   * Makes {@code create} wait (up to 5 s, then fail) until someone subscribed to events: a bring-up
   * that subscribes only after its create fails.
   */
  public void createWaitsForEvents() {
    createWaitsForEvents = true;
  }

  public void addImage(String name) {
    images.add(name);
  }

  /** Adds a container outside compose, e.g. a suite container or another run's leftover. */
  public Container addContainer(String name, Map<String, String> labels) {
    return addContainer(name, labels, new Service(name));
  }

  /** Adds a container outside compose that follows {@code script} once started. */
  public synchronized Container addContainer(
      String name, Map<String, String> labels, Service script) {
    Container c = new Container("c" + (++nextId), name, labels, script);
    containers.put(c.id, c);
    return c;
  }

  /** A script for {@link #addContainer(String, Map, Service)}. */
  public static Service script(String name) {
    return new Service(name);
  }

  public void addNetwork(String name, Map<String, String> labels) {
    networks.put(name, new Resource("n-" + name, name, labels));
  }

  public void addVolume(String name, Map<String, String> labels, boolean inUse) {
    volumes.put(name, new Resource(name, name, labels));
    if (inUse) {
      volumesInUse.put(name, "in use");
    }
  }

  public List<Container> containers() {
    return List.copyOf(containers.values());
  }

  /**
   * The next {@code times} removals of the network fail with the engine's "has active endpoints",
   * as right after its containers were killed and removed.
   */
  public void networkBusy(String id, int times) {
    networkBusy.put(id, times);
  }

  public List<Resource> networks() {
    return List.copyOf(networks.values());
  }

  public List<Resource> volumes() {
    return List.copyOf(volumes.values());
  }

  /** The verbs called so far, e.g. {@code start c1}, {@code remove c2}, in order. */
  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** When the start request of the container whose name contains {@code fragment} returned. */
  public long startReturned(String fragment) {
    for (Map.Entry<String, Long> e : startReturns.entrySet()) {
      if (e.getKey().contains(fragment)) {
        return e.getValue();
      }
    }
    throw new IllegalArgumentException("no container " + fragment);
  }

  /** When execs ran (System.nanoTime) in containers whose name contains {@code fragment}. */
  public List<Long> execTimes(String fragment) {
    List<Long> out = new ArrayList<>();
    synchronized (execLog) {
      for (Map.Entry<String, Long> e : execLog) {
        if (e.getKey().contains(fragment)) {
          out.add(e.getValue());
        }
      }
    }
    return out;
  }

  /** Kills a running container now (exit code {@code code}), with its die event. */
  public void kill(String id, long code) {
    exit(containers.get(id), code, false);
  }

  // ---------------------------------------------------------------- Backend

  @Override
  public List<Resource> listContainers(LabelFilter filter) {
    List<Resource> out = new ArrayList<>();
    for (Container c : containers.values()) {
      if (matches(filter, c.labels)) {
        out.add(new Resource(c.id, c.name, c.labels));
      }
    }
    return out;
  }

  @Override
  public ContainerInfo inspectContainer(String id) {
    Container c = container(id);
    synchronized (c) {
      ContainerInfo.Healthcheck hc =
          c.script.healthcheck == null
              ? null
              : new ContainerInfo.Healthcheck(c.script.healthcheck, 0L);
      return new ContainerInfo(
          c.id,
          c.status,
          c.status.equals("running"),
          c.exitCode,
          c.oom,
          hc,
          "10.0.0." + c.id.substring(1),
          Map.of(),
          c.script.ports);
    }
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    if (!images.contains(spec.image())) {
      throw new BackendException.NotFound("No such image: " + spec.image(), null);
    }
    calls.add("create " + spec.name());
    return addContainer(spec.name(), spec.labels()).id;
  }

  @Override
  public void startContainer(String id) {
    Container c = container(id);
    calls.add("start " + c.name);
    Service s = c.script;
    if (s.startError != null) {
      throw new BackendException(s.startError, null);
    }
    if (s.startTakes != null) {
      try {
        Thread.sleep(s.startTakes.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException("interrupted", e);
      }
    }
    synchronized (c) {
      if (c.status.equals("running")) {
        throw new BackendException("container " + id + " is already started", null);
      }
      c.status = "running";
    }
    startReturns.put(c.name, System.nanoTime());
    emit(c, "start", Map.of());
    if (s.exitAfter != null) {
      clock.schedule(
          () -> exit(c, s.exitCode, s.oom), s.exitAfter.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (s.healthcheck != null && s.healthyAfter != null) {
      clock.schedule(() -> healthy(c), s.healthyAfter.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void exit(Container c, long code, boolean oom) {
    synchronized (c) {
      if (!c.status.equals("running")) {
        return;
      }
      c.status = "exited";
      c.exitCode = code;
      c.oom = oom;
    }
    emit(c, "die", Map.of("exitCode", Long.toString(code)));
  }

  private void healthy(Container c) {
    synchronized (c) {
      if (!c.status.equals("running")) {
        return;
      }
    }
    // The event first, as the engine sends it after its own check passed: a poll in between
    // sees the event, never a passing exec without it.
    if (c.script.healthEvent) {
      emit(c, "health_status: healthy", Map.of());
    }
    synchronized (c) {
      c.healthy = true;
    }
  }

  /** Runs inside every {@link #stopContainer} call, with the container's name, before it stops. */
  public void onStop(Consumer<String> hook) {
    stopHook = hook;
  }

  private volatile Consumer<String> stopHook = name -> {};

  @Override
  public void stopContainer(String id, Duration grace) {
    stopHook.accept(container(id).name);
    calls.add("stop " + container(id).name + (grace.isZero() ? " at once" : ""));
    exit(container(id), 143, false);
  }

  @Override
  public void killContainer(String id) {
    Container c = container(id);
    synchronized (c) {
      if (!c.status.equals("running")) {
        throw new BackendException.NotModified("container is not running", null);
      }
    }
    exit(c, 137, false);
  }

  @Override
  public void removeContainer(String id) {
    Container c = container(id);
    calls.add("remove " + c.name);
    containers.remove(c.id);
  }

  @Override
  public void awaitStop(String id, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (container(id).status().equals("running") && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout) {
    Container c = container(id);
    long now = System.nanoTime();
    c.execNanos.add(now);
    execLog.add(Map.entry(c.name, now));
    synchronized (c) {
      return c.healthy ? new ExecResult(0, "") : new ExecResult(1, "not ready yet");
    }
  }

  @Override
  public Subscription logs(String id, LogOptions options, Consumer<LogChunk> sink) {
    Container c = container(id);
    StringBuilder text = new StringBuilder();
    for (String line : c.script.log.toString().split("\n", -1)) {
      if (!line.isEmpty()) {
        text.append(options.timestamps() ? TIMESTAMP : "").append(line).append('\n');
      }
    }
    sink.accept(new LogChunk(false, text.toString().getBytes(StandardCharsets.UTF_8)));
    return done();
  }

  @Override
  public Subscription events(
      LabelFilter filter, long sinceEpochSecond, Consumer<ContainerEvent> sink) {
    Subscriber s = new Subscriber(filter, sink);
    subscribers.add(s);
    subscribed.countDown();
    return new Subscription() {
      @Override
      public boolean await(Duration max) {
        return false;
      }

      @Override
      public void close() {
        subscribers.remove(s);
      }
    };
  }

  private void emit(Container c, String action, Map<String, String> attributes) {
    for (Subscriber s : subscribers) {
      if (matches(s.filter(), c.labels)) {
        s.sink().accept(new ContainerEvent(c.id, action, attributes));
      }
    }
  }

  @Override
  public void copyTo(String id, String remotePath, InputStream tar) {
    container(id);
  }

  /** An empty archive when the script wrote reports, else NotFound as for a missing path. */
  @Override
  public InputStream copyFrom(String id, String path) {
    if (!container(id).script.reports) {
      throw new BackendException.NotFound("Could not find the file " + path, null);
    }
    return new ByteArrayInputStream(new byte[0]);
  }

  @Override
  public List<Resource> listNetworks(LabelFilter filter) {
    return select(networks.values(), r -> matches(filter, r.labels()));
  }

  @Override
  public void removeNetwork(String id) {
    calls.add("remove network " + id);
    if (networkBusy.merge(id, -1, Integer::sum) >= 0) {
      throw new BackendException(
          "Status 403: error while removing network: network " + id + " has active endpoints",
          null);
    }
    if (networks.values().removeIf(n -> n.id().equals(id))) {
      return;
    }
    throw new BackendException.NotFound("network " + id + " not found", null);
  }

  @Override
  public List<Resource> listVolumes(LabelFilter filter) {
    return select(volumes.values(), r -> matches(filter, r.labels()));
  }

  @Override
  public void removeVolume(String name) {
    calls.add("remove volume " + name);
    if (volumesInUse.containsKey(name)) {
      throw new BackendException.Conflict("volume is in use", null);
    }
    if (volumes.remove(name) == null) {
      throw new BackendException.NotFound("no such volume: " + name, null);
    }
  }

  @Override
  public boolean imageExists(String name) {
    return images.contains(name);
  }

  @Override
  public boolean pullImage(String name, Duration max) {
    throw new BackendException("pull access denied for " + name, null);
  }

  @Override
  public ComposeBackend compose(ComposeProject project) {
    return new FakeCompose(project);
  }

  @Override
  public String composeVersion() {
    return "Fake Compose version v2.0.0";
  }

  @Override
  public void close() {
    clock.shutdownNow();
  }

  // ---------------------------------------------------------------- compose

  /** The compose steps of one project, answered from the scripted services. */
  private final class FakeCompose implements ComposeBackend {
    private final ComposeProject project;

    FakeCompose(ComposeProject project) {
      this.project = project;
    }

    @Override
    public Exec.Result config(Duration timeout) {
      calls.add("compose config " + project.name());
      ObjectNode root = JSON.createObjectNode();
      ObjectNode svc = root.putObject("services");
      for (Service s : services.values()) {
        ObjectNode n = svc.putObject(s.name);
        n.put("image", s.image);
        if (!s.profiles.isEmpty()) {
          s.profiles.forEach(n.putArray("profiles")::add);
        }
        ObjectNode deps = n.putObject("depends_on");
        s.dependsOn.forEach(
            (d, cond) ->
                deps.putObject(d).put("condition", cond).put("required", !s.optional.contains(d)));
      }
      root.putObject("networks").putObject("default").put("name", project.name() + "_default");
      return new Exec.Result(List.of("fake", "config"), 0, root.toString(), "");
    }

    @Override
    public Exec.Result build(List<String> profiles, List<String> names, Duration timeout) {
      calls.add("build " + names);
      return new Exec.Result(List.of("fake", "build"), 0, "", "");
    }

    @Override
    public Exec.Result create(List<String> profiles, List<String> only, Duration timeout) {
      calls.add("compose create " + project.name());
      if (createResult != null) {
        return createResult;
      }
      try {
        if (createWaitsForEvents && !subscribed.await(5, TimeUnit.SECONDS)) {
          return new Exec.Result(List.of("fake"), 1, "", "nobody subscribed to events");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Exec.Result(List.of("fake"), 1, "", "interrupted");
      }
      Map<String, String> projectLabel = Map.of("com.docker.compose.project", project.name());
      addNetwork(project.name() + "_default", projectLabel);
      for (Service s : services.values()) {
        if (!s.profiles.isEmpty() && s.profiles.stream().noneMatch(profiles::contains)) {
          continue;
        }
        if (!only.isEmpty() && !only.contains(s.name)) {
          continue; // up --no-start --no-deps <only>: exactly those
        }
        for (int i = 1; i <= s.replicas; i++) {
          Map<String, String> labels = new LinkedHashMap<>(projectLabel);
          labels.put("com.docker.compose.service", s.name);
          labels.put("com.docker.compose.oneoff", "False");
          String name = project.name() + "-" + s.name + "-" + i;
          synchronized (FakeBackend.this) {
            Container c = new Container("c" + (++nextId), name, labels, s);
            containers.put(c.id, c);
          }
        }
      }
      return new Exec.Result(List.of("fake", "create"), 0, "", "");
    }

    @Override
    public List<String> command() {
      return List.of("fake-compose", "--project-name", project.name());
    }
  }

  // ---------------------------------------------------------------- helpers

  private Container container(String idOrName) {
    Container c = containers.get(idOrName);
    if (c != null) {
      return c;
    }
    for (Container x : containers.values()) {
      if (x.name.equals(idOrName)) {
        return x;
      }
    }
    throw new BackendException.NotFound("No such container: " + idOrName, null);
  }

  private static boolean matches(LabelFilter f, Map<String, String> labels) {
    return f.value() == null ? labels.containsKey(f.key()) : f.value().equals(labels.get(f.key()));
  }

  private static <T> List<T> select(Iterable<T> all, Predicate<T> p) {
    List<T> out = new ArrayList<>();
    all.forEach(
        x -> {
          if (p.test(x)) {
            out.add(x);
          }
        });
    return out;
  }

  private static Subscription done() {
    return new Subscription() {
      @Override
      public boolean await(Duration max) {
        return true;
      }

      @Override
      public void close() {}
    };
  }
}

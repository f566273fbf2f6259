package io.testrig.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.transport.DockerHttpClient;
import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.ComposeBackend;
import io.testrig.backend.ComposeProject;
import io.testrig.backend.ContainerEvent;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.ContainerSpec;
import io.testrig.backend.ExecResult;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.LogChunk;
import io.testrig.backend.LogOptions;
import io.testrig.backend.Resource;
import io.testrig.backend.Subscription;
import io.testrig.core.CallCount;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link Backend} over docker-java: the one class (with {@link DockerConnect}) that speaks the
 * Docker engine API. docker-java's exceptions become {@link BackendException}s with the engine's
 * message unchanged; connection failures pass through as they are.
 */
public final class DockerBackend implements Backend {
  private static final int MAX_EXEC_OUTPUT = 2_000;

  /**
   * Where the backend is connected: host, the server's version and API version, the pinned API
   * version every request uses, and the environment the docker CLI (compose) needs.
   */
  public record Info(
      String host,
      String serverVersion,
      String serverApiVersion,
      String apiVersion,
      Map<String, String> cliEnvironment) {}

  private final DockerClient client;
  private final DockerHttpClient http;
  private final Info info;

  DockerBackend(DockerClient client, DockerHttpClient http, Info info) {
    this.client = client;
    this.http = http;
    this.info = info;
  }

  public Info info() {
    return info;
  }

  /** The docker-java client, for integration tests that check the engine directly. */
  public DockerClient client() {
    return client;
  }

  /** Runs one request, turning docker-java's error kinds into neutral ones. */
  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw neutral(e);
    }
  }

  /** The neutral form of a docker-java error; anything else unchanged. */
  private static RuntimeException neutral(RuntimeException e) {
    if (e instanceof NotFoundException) {
      return new BackendException.NotFound(e.getMessage(), e);
    }
    if (e instanceof ConflictException) {
      return new BackendException.Conflict(e.getMessage(), e);
    }
    if (e instanceof NotModifiedException) {
      return new BackendException.NotModified(e.getMessage(), e);
    }
    if (e instanceof DockerException) {
      return new BackendException(e.getMessage(), e);
    }
    return e;
  }

  private static void run(Runnable request) {
    call(
        () -> {
          request.run();
          return null;
        });
  }

  // ---------------------------------------------------------------- containers

  @Override
  public List<Resource> listContainers(LabelFilter filter) {
    List<Container> list =
        call(
            () ->
                client
                    .listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(List.of(filter.toString()))
                    .exec());
    List<Resource> out = new ArrayList<>();
    for (Container c : list) {
      String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0];
      out.add(new Resource(c.getId(), name.startsWith("/") ? name.substring(1) : name, labels(c)));
    }
    return out;
  }

  private static Map<String, String> labels(Container c) {
    return c.getLabels() == null ? Map.of() : c.getLabels();
  }

  @Override
  public ContainerInfo inspectContainer(String id) {
    InspectContainerResponse c = call(() -> client.inspectContainerCmd(id).exec());
    var st = c.getState();
    return new ContainerInfo(
        c.getId(),
        st.getStatus(),
        Boolean.TRUE.equals(st.getRunning()),
        st.getExitCodeLong(),
        Boolean.TRUE.equals(st.getOOMKilled()),
        healthcheck(c),
        ip(c),
        tcpPorts(c));
  }

  private static ContainerInfo.Healthcheck healthcheck(InspectContainerResponse c) {
    HealthCheck hc = c.getConfig() == null ? null : c.getConfig().getHealthcheck();
    if (hc == null || hc.getTest() == null || hc.getTest().isEmpty()) {
      return null;
    }
    return new ContainerInfo.Healthcheck(hc.getTest(), hc.getTimeout());
  }

  private static String ip(InspectContainerResponse c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
      return null;
    }
    for (ContainerNetwork n : c.getNetworkSettings().getNetworks().values()) {
      if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) {
        return n.getIpAddress();
      }
    }
    return null;
  }

  private static Map<Integer, String> tcpPorts(InspectContainerResponse c) {
    Map<Integer, String> out = new LinkedHashMap<>();
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getPorts() == null) {
      return out;
    }
    for (Map.Entry<ExposedPort, Ports.Binding[]> e :
        c.getNetworkSettings().getPorts().getBindings().entrySet()) {
      Ports.Binding[] b = e.getValue();
      if (e.getKey().getProtocol() == com.github.dockerjava.api.model.InternetProtocol.TCP
          && b != null
          && b.length > 0) {
        out.put(e.getKey().getPort(), b[0].getHostPortSpec());
      }
    }
    return out;
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig();
    if (spec.memoryBytes() != null) {
      // Swap as large as memory means no swap: a container over its limit meets the OOM killer
      // instead of crawling (https://docs.docker.com/engine/containers/resource_constraints/).
      host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
    }
    if (spec.network() != null) {
      host.withNetworkMode(spec.network());
    }
    if (!spec.readOnlyMounts().isEmpty()) {
      host.withBinds(
          spec.readOnlyMounts().entrySet().stream()
              .map(
                  m ->
                      new com.github.dockerjava.api.model.Bind(
                          m.getKey(),
                          new com.github.dockerjava.api.model.Volume(m.getValue()),
                          com.github.dockerjava.api.model.AccessMode.ro))
              .toList());
    }
    CreateContainerCmd cmd =
        client
            .createContainerCmd(spec.image())
            .withName(spec.name())
            .withLabels(spec.labels())
            .withEnv(spec.env())
            .withHostConfig(host);
    if (!spec.cmd().isEmpty()) {
      cmd.withCmd(spec.cmd());
    }
    if (spec.alias() != null) {
      cmd.withAliases(spec.alias());
    }
    return call(() -> cmd.exec().getId());
  }

  @Override
  public void startContainer(String id) {
    run(() -> client.startContainerCmd(id).exec());
  }

  @Override
  public void stopContainer(String id, Duration grace) {
    run(() -> client.stopContainerCmd(id).withTimeout((int) grace.toSeconds()).exec());
  }

  @Override
  public void killContainer(String id) {
    run(() -> client.killContainerCmd(id).exec());
  }

  @Override
  public void removeContainer(String id) {
    run(() -> client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
  }

  @Override
  public void awaitStop(String id, Duration max) throws InterruptedException {
    try (WaitContainerResultCallback cb =
        call(() -> client.waitContainerCmd(id).exec(new WaitContainerResultCallback()))) {
      cb.awaitCompletion(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IOException e) {
      // Closing the wait stream failed; the caller inspects the state anyway.
    } catch (RuntimeException e) {
      throw neutral(e);
    }
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout)
      throws InterruptedException {
    CallCount.exec();
    String execId =
        call(
            () ->
                client
                    .execCreateCmd(id)
                    .withCmd(cmd.toArray(new String[0]))
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec()
                    .getId());
    StringBuilder out = new StringBuilder();
    boolean finished;
    try (ResultCallback.Adapter<Frame> cb =
        call(
            () ->
                client
                    .execStartCmd(execId)
                    .exec(
                        new ResultCallback.Adapter<>() {
                          @Override
                          public void onNext(Frame f) {
                            synchronized (out) {
                              if (out.length() < MAX_EXEC_OUTPUT) {
                                out.append(
                                    new String(
                                        f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                              }
                            }
                          }
                        }))) {
      finished = cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      finished = false;
    }
    if (!finished) {
      return new ExecResult(-1, "timed out after " + timeout.toMillis() + " ms");
    }
    Long code = call(() -> client.inspectExecCmd(execId).exec().getExitCodeLong());
    synchronized (out) {
      return new ExecResult(code == null ? -1 : code, out.toString().strip());
    }
  }

  @Override
  public Subscription logs(String id, LogOptions options, Consumer<LogChunk> sink) {
    ResultCallback.Adapter<Frame> cb =
        call(
            () ->
                client
                    .logContainerCmd(id)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withTimestamps(options.timestamps())
                    .withFollowStream(options.follow())
                    .exec(
                        new ResultCallback.Adapter<>() {
                          @Override
                          public void onNext(Frame f) {
                            sink.accept(
                                new LogChunk(
                                    f.getStreamType() == StreamType.STDERR, f.getPayload()));
                          }
                        }));
    return subscription(cb);
  }

  @Override
  public Subscription events(
      LabelFilter filter, long sinceEpochSecond, Consumer<ContainerEvent> sink) {
    // Action/Actor, not the status/id fields deprecated since API 1.22
    // (https://docs.docker.com/reference/api/engine/version-history/).
    ResultCallback.Adapter<Event> cb =
        call(
            () ->
                client
                    .eventsCmd()
                    .withSince(Long.toString(sinceEpochSecond))
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withLabelFilter(filter.toString())
                    .exec(
                        new ResultCallback.Adapter<>() {
                          @Override
                          public void onNext(Event e) {
                            if (e.getActor() == null || e.getActor().getId() == null) {
                              return;
                            }
                            sink.accept(
                                new ContainerEvent(
                                    e.getActor().getId(),
                                    e.getAction() == null ? "" : e.getAction(),
                                    e.getActor().getAttributes()));
                          }
                        }));
    return subscription(cb);
  }

  /**
   * docker-java rethrows the stream's first error from {@code awaitCompletion}; a stream of a
   * container that is gone fails with its NotFoundException there, which becomes the neutral one.
   */
  private static Subscription subscription(ResultCallback.Adapter<?> cb) {
    return new Subscription() {
      @Override
      public boolean await(Duration max) throws InterruptedException {
        try {
          return cb.awaitCompletion(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
          throw neutral(e);
        }
      }

      @Override
      public void close() {
        try {
          cb.close();
        } catch (IOException e) {
          // The stream is gone either way.
        }
      }
    };
  }

  @Override
  public void copyTo(String id, String remotePath, InputStream tar) {
    run(
        () ->
            client
                .copyArchiveToContainerCmd(id)
                .withTarInputStream(tar)
                .withRemotePath(remotePath)
                .exec());
  }

  @Override
  public InputStream copyFrom(String id, String path) {
    return call(() -> client.copyArchiveFromContainerCmd(id, path).exec());
  }

  // ---------------------------------------------------------------- networks, volumes, images

  @Override
  public List<Resource> listNetworks(LabelFilter filter) {
    List<Resource> out = new ArrayList<>();
    for (Network n :
        call(
            () ->
                client.listNetworksCmd().withFilter("label", List.of(filter.toString())).exec())) {
      out.add(new Resource(n.getId(), n.getName(), n.getLabels()));
    }
    return out;
  }

  @Override
  public void removeNetwork(String id) {
    run(() -> client.removeNetworkCmd(id).exec());
  }

  @Override
  public List<Resource> listVolumes(LabelFilter filter) {
    List<InspectVolumeResponse> volumes =
        call(
            () ->
                client
                    .listVolumesCmd()
                    .withFilter("label", List.of(filter.toString()))
                    .exec()
                    .getVolumes());
    List<Resource> out = new ArrayList<>();
    for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
      out.add(new Resource(v.getName(), v.getName(), v.getLabels()));
    }
    return out;
  }

  @Override
  public void removeVolume(String name) {
    run(() -> client.removeVolumeCmd(name).exec());
  }

  @Override
  public boolean imageExists(String name) {
    try {
      run(() -> client.inspectImageCmd(name).exec());
      return true;
    } catch (BackendException.NotFound e) {
      return false;
    }
  }

  @Override
  public boolean pullImage(String name, Duration max) throws InterruptedException {
    try (var callback = call(() -> client.pullImageCmd(name).start())) {
      return callback.awaitCompletion(max.toSeconds(), TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new BackendException(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw neutral(e);
    }
  }

  // ---------------------------------------------------------------- compose

  @Override
  public ComposeBackend compose(ComposeProject project) {
    return new ComposeCli(project);
  }

  @Override
  public String composeVersion() {
    return ComposeCli.version(info.cliEnvironment());
  }

  @Override
  public void close() {
    try {
      client.close();
      http.close();
    } catch (IOException e) {
      // Closing a finished connection pool; nothing to do about a failure here.
    }
  }
}

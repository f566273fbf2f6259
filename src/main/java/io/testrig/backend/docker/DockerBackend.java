package io.testrig.backend.docker;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link Backend} over the Docker engine API
 * (https://docs.docker.com/reference/api/engine/version/v1.41/), spoken by testrig's own small
 * client ({@link EngineHttp}, JSON trees through {@link EngineJson}): the one class (with {@link
 * DockerConnect}) that talks to the engine. Errors the engine reports become {@link
 * BackendException}s with its message unchanged; a broken connection surfaces as an {@link
 * UncheckedIOException}.
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

  private final EngineHttp http;
  private final Info info;

  DockerBackend(EngineHttp http, Info info) {
    this.http = http;
    this.info = info;
  }

  public Info info() {
    return info;
  }

  // ---------------------------------------------------------------- requests

  /**
   * One request whose body is not needed; engine errors become neutral exceptions. Like {@link
   * #json}, it also works on an interrupted thread ({@link EngineHttp#uninterrupted}).
   */
  private void call(String method, String path) {
    call(method, path, null);
  }

  /** Like {@link #call(String, String)}; {@code notModified} is the message for a 304. */
  private void call(String method, String path, String notModified) {
    try {
      EngineHttp.uninterrupted(
          () -> {
            http.call(method, path).check(notModified).discard();
            return null;
          });
    } catch (IOException e) {
      throw broken(method, path, e);
    }
  }

  /** One request answered with JSON. */
  private JsonNode json(String method, String path, EngineHttp.Body body) {
    try {
      return EngineHttp.uninterrupted(() -> http.call(method, path, body).check().json());
    } catch (IOException e) {
      throw broken(method, path, e);
    }
  }

  private JsonNode get(String path) {
    return json("GET", path, EngineHttp.Body.NONE);
  }

  static UncheckedIOException broken(String method, String path, IOException e) {
    return new UncheckedIOException(
        "engine request " + method + " " + path.replaceFirst("\\?.*", "") + ": " + e.getMessage(),
        e);
  }

  /** A path segment: an id, a name or an image reference (whose '/' and ':' stay). */
  static String seg(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~:@/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /** {@code filters={"label":["k=v"]}}, the engine's label filter. */
  static String labelFilter(LabelFilter filter) {
    return EngineJson.filters(Map.of("label", List.of(filter.toString())));
  }

  // ---------------------------------------------------------------- containers

  /**
   * {@code GET /containers/json?all=1}: every state, not only running ones
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerList).
   */
  @Override
  public List<Resource> listContainers(LabelFilter filter) {
    List<Resource> out = new ArrayList<>();
    for (JsonNode c : get("/containers/json?all=1&" + labelFilter(filter))) {
      String id = EngineJson.text(c, "Id");
      JsonNode names = c.get("Names");
      String name = names == null || names.isEmpty() ? id : names.get(0).asText();
      out.add(
          new Resource(
              id,
              name.startsWith("/") ? name.substring(1) : name,
              EngineJson.strings(c.get("Labels"))));
    }
    return out;
  }

  /** https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerInspect */
  @Override
  public ContainerInfo inspectContainer(String id) {
    return Inspection.container(get("/containers/" + seg(id) + "/json"));
  }

  /** https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerCreate */
  @Override
  public String createContainer(ContainerSpec spec) {
    String path = "/containers/create?name=" + EngineJson.query(spec.name());
    byte[] body = EngineJson.write(Inspection.createBody(spec));
    return EngineJson.text(json("POST", path, EngineHttp.Body.json(body)), "Id");
  }

  /** 304 when it runs already (the engine's "container already started", lost with the body). */
  @Override
  public void startContainer(String id) {
    call("POST", "/containers/" + seg(id) + "/start", "container " + id + " already started");
  }

  /**
   * {@code t}: seconds to wait before killing. The engine answers 304 when the container is not
   * running (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerStop):
   * stopped is what the caller wants, so that is success, not an error; a graceful teardown
   * (Reaper) kept an exited one-shot container over it.
   */
  @Override
  public void stopContainer(String id, Duration grace) {
    try {
      call("POST", "/containers/" + seg(id) + "/stop?t=" + grace.toSeconds(), "not running");
    } catch (BackendException.NotModified e) {
      // Not running: nothing to stop.
    }
  }

  @Override
  public void killContainer(String id) {
    call("POST", "/containers/" + seg(id) + "/kill", "container " + id + " is not running");
  }

  /** {@code force}: running or not; {@code v}: with its anonymous volumes. */
  @Override
  public void removeContainer(String id) {
    call("DELETE", "/containers/" + seg(id) + "?force=1&v=1");
  }

  /**
   * {@code POST /containers/{id}/wait} answers when the container is not running; it is read in its
   * own thread so {@code max} bounds it
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerWait).
   */
  @Override
  public void awaitStop(String id, Duration max) throws InterruptedException {
    try (EngineStream s =
        EngineStream.start(
            http,
            "POST",
            "/containers/" + seg(id) + "/wait",
            EngineHttp.Body.NONE,
            r -> r.discard())) {
      s.await(max);
    }
  }

  @Override
  public ExecResult exec(String id, List<String> cmd, Duration timeout)
      throws InterruptedException {
    CallCount.exec();
    return new Execs(http).run(id, cmd, timeout, MAX_EXEC_OUTPUT);
  }

  /**
   * {@code GET /containers/{id}/logs}: stdout and stderr as frames (raw for a TTY container), to
   * the end or, with {@code follow}, until closed
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerLogs).
   */
  @Override
  public Subscription logs(String id, LogOptions options, Consumer<LogChunk> sink) {
    String path =
        "/containers/"
            + seg(id)
            + "/logs?stdout=1&stderr=1&timestamps="
            + (options.timestamps() ? 1 : 0)
            + "&follow="
            + (options.follow() ? 1 : 0);
    return EngineStream.start(
        http, "GET", path, EngineHttp.Body.NONE, r -> Frames.demux(r.body, sink));
  }

  /**
   * {@code GET /events} of containers with the label, from {@code since} on; Action and Actor, not
   * the status/id fields deprecated since API 1.22
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/SystemEvents).
   */
  @Override
  public Subscription events(
      LabelFilter filter, long sinceEpochSecond, Consumer<ContainerEvent> sink) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    filters.put("type", List.of("container"));
    filters.put("label", List.of(filter.toString()));
    String path = "/events?since=" + sinceEpochSecond + "&" + EngineJson.filters(filters);
    return EngineStream.start(
        http,
        "GET",
        path,
        EngineHttp.Body.NONE,
        r -> EngineJson.readEach(r.body, e -> event(e, sink)));
  }

  /** One event message: Actor.ID, Action and Actor.Attributes; one without an actor is skipped. */
  private static void event(JsonNode e, Consumer<ContainerEvent> sink) {
    JsonNode actor = e.get("Actor");
    String actorId = EngineJson.text(actor, "ID");
    if (actorId != null) {
      String action = EngineJson.text(e, "Action");
      sink.accept(
          new ContainerEvent(
              actorId, action == null ? "" : action, EngineJson.strings(actor.get("Attributes"))));
    }
  }

  /**
   * {@code PUT /containers/{id}/archive?path=}: a tar stream unpacked at the path, sent chunked
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/PutContainerArchive).
   */
  @Override
  public void copyTo(String id, String remotePath, InputStream tar) {
    String path = "/containers/" + seg(id) + "/archive?path=" + EngineJson.query(remotePath);
    try {
      http.send("PUT", path, EngineHttp.Body.stream("application/x-tar", tar)).check().discard();
    } catch (IOException e) {
      throw broken("PUT", path, e);
    }
  }

  /**
   * {@code GET /containers/{id}/archive?path=}: the tar stream, on its own connection that closing
   * the stream closes; 404 when the path is absent
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerArchive).
   */
  @Override
  public InputStream copyFrom(String id, String path) {
    String p = "/containers/" + seg(id) + "/archive?path=" + EngineJson.query(path);
    try {
      EngineResponse r = http.send("GET", p).check();
      return new FilterInputStream(r.body) {
        @Override
        public void close() {
          r.close();
        }
      };
    } catch (IOException e) {
      throw broken("GET", p, e);
    }
  }

  // ---------------------------------------------------------------- networks, volumes, images

  /** https://docs.docker.com/reference/api/engine/version/v1.41/#operation/NetworkList */
  @Override
  public List<Resource> listNetworks(LabelFilter filter) {
    List<Resource> out = new ArrayList<>();
    for (JsonNode n : get("/networks?" + labelFilter(filter))) {
      out.add(
          new Resource(
              EngineJson.text(n, "Id"),
              EngineJson.text(n, "Name"),
              EngineJson.strings(n.get("Labels"))));
    }
    return out;
  }

  @Override
  public void removeNetwork(String id) {
    call("DELETE", "/networks/" + seg(id));
  }

  /** https://docs.docker.com/reference/api/engine/version/v1.41/#operation/VolumeList */
  @Override
  public List<Resource> listVolumes(LabelFilter filter) {
    List<Resource> out = new ArrayList<>();
    JsonNode volumes = get("/volumes?" + labelFilter(filter)).get("Volumes");
    if (volumes != null && volumes.isArray()) {
      for (JsonNode v : volumes) {
        String name = EngineJson.text(v, "Name");
        out.add(new Resource(name, name, EngineJson.strings(v.get("Labels"))));
      }
    }
    return out;
  }

  /** 409 when a container still uses it. */
  @Override
  public void removeVolume(String name) {
    call("DELETE", "/volumes/" + seg(name));
  }

  /** Inspect by name: 404 when absent (listing by the old {@code filter=} matches everything). */
  @Override
  public boolean imageExists(String name) {
    try {
      call("GET", "/images/" + seg(name) + "/json");
      return true;
    } catch (BackendException.NotFound e) {
      return false;
    }
  }

  @Override
  public boolean pullImage(String name, Duration max) throws InterruptedException {
    return Pulls.pull(http, name, max);
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

  /** Closes the connections kept alive (TCP); streams are closed by their subscribers. */
  @Override
  public void close() {
    http.closeIdle();
  }
}

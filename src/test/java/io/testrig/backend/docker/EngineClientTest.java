package io.testrig.backend.docker;

import static io.testrig.backend.docker.UnixHttpServer.chunk;
import static io.testrig.backend.docker.UnixHttpServer.chunked;
import static io.testrig.backend.docker.UnixHttpServer.empty;
import static io.testrig.backend.docker.UnixHttpServer.frame;
import static io.testrig.backend.docker.UnixHttpServer.head;
import static io.testrig.backend.docker.UnixHttpServer.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerEvent;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.ExecResult;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.LogChunk;
import io.testrig.backend.LogOptions;
import io.testrig.backend.Resource;
import io.testrig.backend.Subscription;
import io.testrig.core.TestrigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * testrig's engine client against a tiny HTTP server on a real unix socket: framing (chunked,
 * Content-Length, hijacked), multiplexed frames, filters, error mapping, streams and their
 * cancellation. The integration tests check the same verbs against the real engine.
 */
class EngineClientTest {
  @TempDir Path dir;
  UnixHttpServer server;
  DockerBackend backend;

  /** Connects through DockerConnect to a server that says it speaks {@code api}. */
  DockerBackend connect(String api, UnixHttpServer.Handler rest) throws IOException {
    server =
        new UnixHttpServer(
            dir,
            (r, out) -> {
              if (r.target().equals("/version")) {
                json(out, 200, "{\"Version\":\"20.10.99\",\"ApiVersion\":\"" + api + "\"}");
              } else {
                rest.handle(r, out);
              }
            });
    backend = DockerConnect.connect(Map.of("DOCKER_HOST", server.host()), Duration.ofSeconds(5));
    return backend;
  }

  @AfterEach
  void stop() throws IOException {
    if (backend != null) {
      backend.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static String decoded(String target) {
    return URLDecoder.decode(target, StandardCharsets.UTF_8);
  }

  @Test
  void theApiIsPinnedToTheServersVersionUpToTheTestedOne() throws IOException {
    connect("1.45", (r, out) -> empty(out, 404));
    assertEquals(DockerConnect.TESTED_API, backend.info().apiVersion());
    assertEquals("1.45", backend.info().serverApiVersion());
    assertEquals("20.10.99", backend.info().serverVersion());
    assertEquals(
        Map.of("DOCKER_HOST", server.host(), "DOCKER_API_VERSION", DockerConnect.TESTED_API),
        backend.info().cliEnvironment());
    server.handler((r, out) -> json(out, 200, "[]"));
    backend.listNetworks(LabelFilter.of("k", null));
    assertTrue(server.requests("/v1.44/networks?").size() == 1, () -> server.requests.toString());
  }

  @Test
  void anEngineOlderThanTheMinimumIsAnEngineError() throws IOException {
    server =
        new UnixHttpServer(
            dir, (r, out) -> json(out, 200, "{\"Version\":\"19\",\"ApiVersion\":\"1.40\"}"));
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> DockerConnect.connect(Map.of("DOCKER_HOST", server.host()), Duration.ZERO));
    assertEquals(
        "engine at "
            + server.host()
            + " speaks API 1.40, testrig needs 1.41 (Docker 20.10) or newer",
        e.getMessage());
  }

  @Test
  void noEngineIsOneLineNamingTheHost() {
    String host = "unix://" + dir.resolve("nothing.sock");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> DockerConnect.connect(Map.of("DOCKER_HOST", host), Duration.ofMillis(300)));
    assertTrue(
        e.getMessage().startsWith("no Docker engine answered at " + host + " within 0 s ("),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void dockerHostIsReadAsTheDockerCliReadsIt() {
    assertEquals(
        new EngineHttp.Unix(Path.of("/var/run/docker.sock")),
        EngineHttp.endpoint("unix:///var/run/docker.sock", null));
    assertEquals(
        new EngineHttp.Tcp("docker", 2375, null, 0), EngineHttp.endpoint("tcp://docker", null));
    assertEquals(
        new EngineHttp.Tcp("::1", 2376, null, 0), EngineHttp.endpoint("tcp://[::1]:2376", null));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> EngineHttp.endpoint("ssh://me@host", null));
    assertEquals("unsupported DOCKER_HOST ssh://me@host", e.getMessage());
  }

  @Test
  void tlsWithAMissingCertFileIsRefusedNamingTheFile() {
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                DockerConnect.connect(
                    Map.of(
                        "DOCKER_HOST", "tcp://127.0.0.1:9",
                        "DOCKER_TLS_VERIFY", "0",
                        "DOCKER_CERT_PATH", dir.toString()),
                    Duration.ZERO));
    assertTrue(
        e.getMessage()
            .contains("DOCKER_TLS_VERIFY is set but " + dir.resolve("ca.pem") + " does not exist"),
        e.getMessage());
  }

  @Test
  void listingSendsTheLabelFilterAsTheEngineExpectsAndReadsAChunkedBody() throws IOException {
    connect(
        "1.41",
        (r, out) -> {
          byte[] body =
              ("[{\"Id\":\"abc\",\"Names\":[\"/p-db-1\"],\"Labels\":{\"k\":\"v\",\"x\":\"y\"}},"
                      + "{\"Id\":\"def\",\"Names\":null,\"Labels\":null}]")
                  .getBytes(StandardCharsets.UTF_8);
          // Cut in the middle of a string and of a multi-byte-free token: the client must join.
          chunked(
              out,
              200,
              List.of(
                  java.util.Arrays.copyOfRange(body, 0, 13),
                  java.util.Arrays.copyOfRange(body, 13, 40),
                  java.util.Arrays.copyOfRange(body, 40, body.length)));
        });
    List<Resource> list = backend.listContainers(LabelFilter.of("k", "v"));
    assertEquals(
        List.of(
            new Resource("abc", "p-db-1", Map.of("k", "v", "x", "y")),
            new Resource("def", "def", Map.of())),
        list);
    String target = server.requests("/v1.41/containers/json").get(0).target();
    assertEquals(
        "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22k%3Dv%22%5D%7D", target);
    assertEquals("/v1.41/containers/json?all=1&filters={\"label\":[\"k=v\"]}", decoded(target));
  }

  @Test
  void errorsMapToTheNeutralKindsWithTheEnginesMessageOnOneLine() throws IOException {
    connect(
        "1.41",
        (r, out) -> {
          String t = r.target();
          if (t.startsWith("/v1.41/containers/gone/json")) {
            json(out, 404, "{\"message\":\"No such container: gone\"}");
          } else if (t.startsWith("/v1.41/volumes/used")) {
            json(out, 409, "{\"message\":\"remove used: volume is in use - [abc]\"}");
          } else if (t.startsWith("/v1.41/containers/up/st")) { // start and stop
            empty(out, 304);
          } else if (t.startsWith("/v1.41/networks/n")) {
            json(
                out,
                403,
                "{\"message\":\"error while removing network: network n id x has active endpoints\"}\n");
          } else {
            byte[] b = "server\nexploded\n".getBytes(StandardCharsets.UTF_8);
            head(out, 500, "Content-Length: " + b.length);
            out.write(b);
          }
        });
    var nf = assertThrows(BackendException.NotFound.class, () -> backend.inspectContainer("gone"));
    assertEquals("No such container: gone", nf.getMessage());
    var c = assertThrows(BackendException.Conflict.class, () -> backend.removeVolume("used"));
    assertEquals("remove used: volume is in use - [abc]", c.getMessage());
    var nm = assertThrows(BackendException.NotModified.class, () -> backend.startContainer("up"));
    assertTrue(nm.getMessage().contains("already started"), nm.getMessage());
    // Stopping a container that is not running: done already, no error.
    backend.stopContainer("up", Duration.ofSeconds(1));
    assertEquals(
        "/v1.41/containers/up/stop?t=1",
        server.requests("/v1.41/containers/up/stop").get(0).target());
    var f = assertThrows(BackendException.class, () -> backend.removeNetwork("n"));
    assertEquals(
        "error while removing network: network n id x has active endpoints", f.getMessage());
    var other = assertThrows(BackendException.class, () -> backend.killContainer("x"));
    assertEquals(BackendException.class, other.getClass());
    assertEquals("server exploded", other.getMessage());
  }

  @Test
  void requestsWorkOnAnInterruptedThreadAndLeaveItInterrupted() throws IOException {
    // The teardown after SIGINT runs on interrupted threads; a unix socket channel would close
    // itself at once there (ClosedByInterruptException), leaving the network behind.
    connect(
        "1.41",
        (r, out) -> {
          if (r.target().startsWith("/v1.41/containers/json")) {
            json(out, 200, "[]");
          } else {
            empty(out, 204);
          }
        });
    Thread.currentThread().interrupt();
    try {
      assertEquals(List.of(), backend.listContainers(LabelFilter.of("k", null)));
      backend.removeNetwork("n");
      assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept for the caller");
    } finally {
      Thread.interrupted();
    }
    assertEquals(1, server.requests("/v1.41/networks/n").size());
  }

  @Test
  void imageExistsIsInspectByNameWithTheReferenceInThePath() throws IOException {
    connect(
        "1.41",
        (r, out) -> {
          if (r.target().equals("/v1.41/images/registry.local:5000/team/app:1.2/json")) {
            json(out, 200, "{\"Id\":\"sha256:1\"}");
          } else {
            json(out, 404, "{\"message\":\"No such image\"}");
          }
        });
    assertTrue(backend.imageExists("registry.local:5000/team/app:1.2"));
    assertFalse(backend.imageExists("other"));
  }

  @Test
  void inspectReadsStateHealthcheckAddressAndPublishedTcpPorts() throws IOException {
    connect(
        "1.41",
        (r, out) ->
            json(
                out,
                200,
                """
                {"Id":"abc","State":{"Status":"exited","Running":false,"ExitCode":137,
                 "OOMKilled":true},
                 "Config":{"Healthcheck":{"Test":["CMD-SHELL","pg_isready"],"Timeout":3000000000}},
                 "NetworkSettings":{"Networks":{"a":{"IPAddress":""},"b":{"IPAddress":"172.18.0.3"}},
                  "Ports":{"5432/tcp":[{"HostIp":"0.0.0.0","HostPort":"49153"},
                  {"HostIp":"::","HostPort":"49153"}],"53/udp":[{"HostPort":"1"}],"80/tcp":null}}}
                """));
    ContainerInfo i = backend.inspectContainer("abc");
    assertEquals(
        new ContainerInfo(
            "abc",
            "exited",
            false,
            137L,
            true,
            new ContainerInfo.Healthcheck(List.of("CMD-SHELL", "pg_isready"), 3_000_000_000L),
            "172.18.0.3",
            Map.of(5432, "49153"),
            // Every binding, and exposed but unpublished ports with host port 0, as compose ps
            // lists them (the info block reads these instead of starting compose).
            List.of(
                new ContainerInfo.Port(5432, "tcp", "0.0.0.0", 49153),
                new ContainerInfo.Port(5432, "tcp", "::", 49153),
                new ContainerInfo.Port(53, "udp", "", 1),
                new ContainerInfo.Port(80, "tcp", "", 0))),
        i);
  }

  @Test
  void logsDemultiplexStdoutAndStderrFrames() throws Exception {
    connect(
        "1.41",
        (r, out) ->
            chunked(
                out,
                200,
                List.of(
                    frame(1, "out 1\n"),
                    concat(frame(2, "err"), frame(1, "out 2\n")),
                    frame(2, "\n"))));
    List<LogChunk> chunks = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = backend.logs("c", new LogOptions(true, false), chunks::add)) {
      assertTrue(s.await(Duration.ofSeconds(10)));
    }
    List<String> seen =
        chunks.stream()
            .map(c -> (c.stderr() ? "E:" : "O:") + new String(c.bytes(), StandardCharsets.UTF_8))
            .toList();
    assertEquals(List.of("O:out 1\n", "E:err", "O:out 2\n", "E:\n"), seen);
    assertEquals(
        "/v1.41/containers/c/logs?stdout=1&stderr=1&timestamps=1&follow=0",
        server.requests("/v1.41/containers/c/logs").get(0).target());
  }

  @Test
  void aTtyContainersRawLogIsPassedOnAtOnceAsStdout() throws Exception {
    CountDownLatch sent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    connect(
        "1.41",
        (r, out) -> {
          head(out, 200, "Transfer-Encoding: chunked");
          chunk(out, "ok\n".getBytes(StandardCharsets.UTF_8));
          sent.countDown();
          release.await(10, TimeUnit.SECONDS);
          chunk(out, "more".getBytes(StandardCharsets.UTF_8));
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch first = new CountDownLatch(1);
    try (Subscription s =
        backend.logs(
            "c",
            new LogOptions(false, true),
            c -> {
              assertFalse(c.stderr());
              seen.add(new String(c.bytes(), StandardCharsets.UTF_8));
              first.countDown();
            })) {
      // Three bytes are not a frame header, and must not wait for five more.
      assertTrue(first.await(10, TimeUnit.SECONDS), "the first line did not arrive alone");
      release.countDown();
      assertTrue(s.await(Duration.ofSeconds(10)));
    }
    assertEquals("ok\nmore", String.join("", seen));
  }

  @Test
  void logsOfAGoneContainerFailOnAwaitAsNotFound() throws Exception {
    connect("1.41", (r, out) -> json(out, 404, "{\"message\":\"No such container: c\"}"));
    try (Subscription s = backend.logs("c", new LogOptions(true, false), c -> {})) {
      assertThrows(BackendException.NotFound.class, () -> s.await(Duration.ofSeconds(10)));
    }
  }

  @Test
  void execCreatesStartsReadsTheHijackedOutputAndInspectsTheExitCode() throws Exception {
    connect(
        "1.41",
        (r, out) -> {
          String t = r.target();
          if (t.equals("/v1.41/containers/c/exec")) {
            json(out, 201, "{\"Id\":\"e1\"}");
          } else if (t.equals("/v1.41/exec/e1/start")) {
            // Hijacked: no Content-Length, no chunking; the output runs until the engine closes.
            head(out, 200, "Content-Type: application/vnd.docker.raw-stream");
            out.write(concat(frame(1, "hello "), frame(2, "world\n")));
          } else if (t.equals("/v1.41/exec/e1/json")) {
            json(out, 200, "{\"Running\":false,\"ExitCode\":3}");
          }
        });
    ExecResult r = backend.exec("c", List.of("sh", "-c", "echo \"x y\""), Duration.ofSeconds(10));
    assertEquals(new ExecResult(3, "hello world"), r);
    UnixHttpServer.Request create = server.requests("/v1.41/containers/c/exec").get(0);
    assertEquals(
        "{\"AttachStdout\":true,\"AttachStderr\":true,\"Cmd\":[\"sh\",\"-c\",\"echo \\\"x y\\\"\"]}",
        create.bodyText());
    assertEquals(
        "{\"Detach\":false,\"Tty\":false}",
        server.requests("/v1.41/exec/e1/start").get(0).bodyText());
  }

  @Test
  void anExecThatOutlivesItsTimeoutIsMinusOneAndItsStreamIsClosed() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    connect(
        "1.41",
        (r, out) -> {
          if (r.target().endsWith("/exec")) {
            json(out, 201, "{\"Id\":\"e2\"}");
            return;
          }
          head(out, 200, null);
          out.write(frame(1, "started\n"));
          out.flush();
          try {
            for (int i = 0; i < 200; i++) {
              Thread.sleep(50);
              out.write(new byte[0]);
              out.write(frame(1, "."));
              out.flush();
            }
          } catch (IOException e) {
            closed.countDown(); // the client hung up
          }
        });
    ExecResult r = backend.exec("c", List.of("sleep", "100"), Duration.ofMillis(300));
    assertEquals(new ExecResult(-1, "timed out after 300 ms"), r);
    assertTrue(closed.await(10, TimeUnit.SECONDS), "the exec stream stayed open");
    assertEquals(List.of(), server.requests("/v1.41/exec/e2/json"));
  }

  @Test
  void eventsFollowTheFilteredStreamUntilClosed() throws Exception {
    CountDownLatch hungUp = new CountDownLatch(1);
    connect(
        "1.41",
        (r, out) -> {
          head(out, 200, "Content-Type: application/json\r\nTransfer-Encoding: chunked");
          chunk(
              out,
              ("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c1\","
                      + "\"Attributes\":{\"name\":\"p-db-1\"}}}\n")
                  .getBytes(StandardCharsets.UTF_8));
          chunk(
              out,
              "{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{"
                  .getBytes(StandardCharsets.UTF_8));
          chunk(
              out,
              "\"ID\":\"c1\",\"Attributes\":{\"exitCode\":\"1\"}}}\n{\"Action\":\"x\"}\n"
                  .getBytes(StandardCharsets.UTF_8));
          try {
            for (int i = 0; i < 400; i++) {
              Thread.sleep(25);
              chunk(out, "\n".getBytes(StandardCharsets.UTF_8));
            }
          } catch (IOException e) {
            hungUp.countDown();
          }
        });
    List<ContainerEvent> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch two = new CountDownLatch(2);
    Subscription s =
        backend.events(
            LabelFilter.of("com.docker.compose.project", "p"),
            1_700_000_000L,
            e -> {
              events.add(e);
              two.countDown();
            });
    assertTrue(two.await(10, TimeUnit.SECONDS), events::toString);
    assertFalse(s.await(Duration.ofMillis(100)), "a followed stream does not end by itself");
    s.close();
    assertTrue(s.await(Duration.ofSeconds(1)), "closed is ended");
    assertTrue(hungUp.await(10, TimeUnit.SECONDS), "close did not close the connection");
    assertEquals(
        List.of(
            new ContainerEvent("c1", "start", Map.of("name", "p-db-1")),
            new ContainerEvent("c1", "die", Map.of("exitCode", "1"))),
        events);
    assertEquals(
        "/v1.41/events?since=1700000000&filters={\"type\":[\"container\"],"
            + "\"label\":[\"com.docker.compose.project=p\"]}",
        decoded(server.requests("/v1.41/events").get(0).target()));
  }

  @Test
  void copyToSendsTheTarChunkedAndCopyFromStreamsItBackOr404IsNotFound() throws Exception {
    byte[] tar = new byte[200_000];
    for (int i = 0; i < tar.length; i++) {
      tar[i] = (byte) (i * 31);
    }
    connect(
        "1.41",
        (r, out) -> {
          if (r.method().equals("PUT")) {
            empty(out, 200);
          } else if (r.target().contains("path=%2Fmissing")) {
            json(out, 404, "{\"message\":\"Could not find the file /missing in container c\"}");
          } else {
            head(out, 200, "Content-Type: application/x-tar\r\nContent-Length: " + tar.length);
            out.write(tar);
          }
        });
    backend.copyTo("c", "/", new ByteArrayInputStream(tar));
    UnixHttpServer.Request put = server.requests("/v1.41/containers/c/archive").get(0);
    assertEquals("PUT", put.method());
    assertEquals("/v1.41/containers/c/archive?path=%2F", put.target());
    assertEquals("chunked", put.headers().get("transfer-encoding"));
    assertArrayEquals(tar, put.body());
    try (InputStream in = backend.copyFrom("c", "/reports")) {
      assertArrayEquals(tar, in.readAllBytes());
    }
    var e = assertThrows(BackendException.NotFound.class, () -> backend.copyFrom("c", "/missing"));
    assertEquals("Could not find the file /missing in container c", e.getMessage());
  }

  @Test
  void anUploadTheEngineRefusesBeforeReadingItIsItsErrorNotABrokenPipe() throws Exception {
    connect("1.41", (r, out) -> json(out, 404, "{\"message\":\"No such container: gone\"}"));
    server.answerBeforeBody = t -> t.contains("/archive");
    byte[] big = new byte[8 * 1024 * 1024];
    var e =
        assertThrows(
            BackendException.NotFound.class,
            () -> backend.copyTo("gone", "/", new ByteArrayInputStream(big)));
    assertEquals("No such container: gone", e.getMessage());
  }

  @Test
  void aPullReportsTheInBandErrorAndAddsLatestToAnUntaggedName() throws Exception {
    connect(
        "1.41",
        (r, out) ->
            chunked(
                out,
                200,
                List.of(
                    "{\"status\":\"Pulling from library/x\"}\n".getBytes(StandardCharsets.UTF_8),
                    "{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"pull access denied\"}\n"
                        .getBytes(StandardCharsets.UTF_8))));
    var e =
        assertThrows(BackendException.class, () -> backend.pullImage("x", Duration.ofSeconds(10)));
    assertEquals("pull access denied", e.getMessage());
    assertEquals(
        "/v1.41/images/create?fromImage=x&tag=latest",
        server.requests("/v1.41/images/create").get(0).target());
    assertEquals("fromImage=reg%3A5000%2Fa%2Fb%3A1", Pulls.query("reg:5000/a/b:1"));
    assertEquals("fromImage=reg%3A5000%2Fa%2Fb&tag=latest", Pulls.query("reg:5000/a/b"));
  }

  @Test
  void awaitStopReturnsWhenTheWaitAnswersOrAtMax() throws Exception {
    connect(
        "1.41",
        (r, out) -> {
          if (r.target().contains("/quick/")) {
            json(out, 200, "{\"StatusCode\":0}");
          } else {
            head(out, 200, "Content-Type: application/json\r\nTransfer-Encoding: chunked");
            out.flush();
            Thread.sleep(20_000);
          }
        });
    long t0 = System.nanoTime();
    backend.awaitStop("quick", Duration.ofSeconds(10));
    backend.awaitStop("slow", Duration.ofMillis(300));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 300 && ms < 5_000, ms + " ms");
    assertEquals("POST", server.requests("/v1.41/containers/slow/wait").get(0).method());
  }

  @Test
  void aBrokenResponseIsAnIoErrorNotAnEngineError() throws IOException {
    connect(
        "1.41",
        (r, out) -> {
          head(out, 200, "Content-Length: 100");
          out.write("[{\"Id\":".getBytes(StandardCharsets.UTF_8));
        });
    var e =
        assertThrows(
            java.io.UncheckedIOException.class,
            () -> backend.listNetworks(LabelFilter.of("k", null)));
    assertTrue(e.getMessage().startsWith("engine request GET /networks: "), e.getMessage());
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}

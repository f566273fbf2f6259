package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.FakeBackend;
import io.testrig.rig.StackSpec.ProbeSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each readiness check kind against a neutral {@link ContainerInfo}, no engine. */
class ChecksTest {
  private final FakeBackend fake = new FakeBackend();
  private static final Checks.Net LOCAL = new Checks.Net(true, "127.0.0.1", s -> null);

  @AfterEach
  void close() {
    fake.close();
  }

  private static ContainerInfo running(String id, String ip, Map<Integer, String> ports) {
    return new ContainerInfo(id, "running", true, null, false, null, ip, ports);
  }

  private static ContainerInfo withHealthcheck(List<String> test) {
    return new ContainerInfo(
        "c1", "running", true, null, false, new ContainerInfo.Healthcheck(test, 0L), null, null);
  }

  @Test
  void theHealthcheckFormsBecomeTheCommandTheEngineWouldRun() throws Exception {
    assertNull(Checks.healthcheck(fake, withHealthcheck(List.of("NONE"))));
    FakeBackend.Container c = fake.addContainer("x", Map.of());
    Check shell = Checks.healthcheck(fake, withHealthcheck(List.of("CMD-SHELL", "pg_isready")));
    assertEquals("healthcheck", shell.describe());
    ContainerInfo info = running(c.id(), null, Map.of());
    assertEquals(
        "healthcheck [/bin/sh, -c, pg_isready] failing (exit 1: not ready yet)", shell.test(info));
    Check cmd = Checks.healthcheck(fake, withHealthcheck(List.of("CMD", "curl", "-f", "x")));
    assertEquals("healthcheck [curl, -f, x] failing (exit 1: not ready yet)", cmd.test(info));
  }

  @Test
  void aHealthcheckWinsOverTheProbeAndNoCheckMeansRunning() {
    Check hc =
        Checks.forContainer(
            fake, withHealthcheck(List.of("CMD", "true")), new ProbeSpec.Tcp(1), LOCAL);
    assertInstanceOf(ExecCheck.class, hc);
    assertInstanceOf(
        TcpCheck.class,
        Checks.forContainer(fake, running("c", null, null), new ProbeSpec.Tcp(1), LOCAL));
    Check none = Checks.forContainer(fake, running("c", null, null), null, LOCAL);
    assertInstanceOf(RunningCheck.class, none);
    assertEquals("running", none.describe());
  }

  @Test
  void tcpConnectsToTheContainerAddressOnALocalEngine() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      Check tcp = Checks.probe(fake, new ProbeSpec.Tcp(port), LOCAL);
      assertEquals("probe tcp " + port, tcp.describe());
      assertNull(tcp.test(running("c", "127.0.0.1", null)));
      assertEquals("no container address", tcp.test(running("c", null, null)));
    }
  }

  @Test
  void tcpUsesThePublishedPortOnARemoteEngine() throws Exception {
    Checks.Net remote = new Checks.Net(false, "127.0.0.1", s -> null);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Check tcp = Checks.probe(fake, new ProbeSpec.Tcp(5432), remote);
      String published = Integer.toString(server.getLocalPort());
      assertNull(tcp.test(running("c", "10.9.9.9", Map.of(5432, published))));
      assertEquals(
          "port 5432 is not published (needed with a remote engine)",
          tcp.test(running("c", "10.9.9.9", Map.of())));
    }
  }

  @Test
  void httpIsReadyOn2xxAndNamesTheStatusOtherwise() throws Exception {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/ok",
        x -> {
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    http.createContext(
        "/bad",
        x -> {
          x.sendResponseHeaders(503, -1);
          x.close();
        });
    http.start();
    try {
      int port = http.getAddress().getPort();
      // A host that is a service name means that service's container address.
      Checks.Net net = new Checks.Net(true, "127.0.0.1", s -> s.equals("api") ? "127.0.0.1" : null);
      assertNull(answer(Checks.probe(fake, new ProbeSpec.Http("http://api:" + port + "/ok"), net)));
      assertEquals(
          "http http://api:" + port + "/bad: status 503",
          answer(Checks.probe(fake, new ProbeSpec.Http("http://api:" + port + "/bad"), net)));
    } finally {
      http.stop(0);
    }
  }

  @Test
  void logMatchesALineOfTheFollowedLog() throws Exception {
    fake.service("db").log("booting").log("database system is ready to accept connections");
    fake.service("db2").log("booting");
    fake.compose(
            new io.testrig.backend.ComposeProject(
                "p", List.of(), List.of(), Map.of(), new io.testrig.core.Redactor()))
        .create(List.of(), List.of(), java.time.Duration.ofSeconds(1));
    String db = idOf("p-db-1");
    String db2 = idOf("p-db2-1");
    try (Check log = Checks.probe(fake, new ProbeSpec.Log("ready to accept"), LOCAL)) {
      assertEquals("probe log /ready to accept/", log.describe());
      assertNull(log.test(running(db, null, null)));
      assertEquals("no log line matches /ready to accept/ yet", log.test(running(db2, null, null)));
    }
  }

  @Test
  void aCommandProbeNamesItsExitAndOutput() throws Exception {
    FakeBackend.Container c = fake.addContainer("x", Map.of());
    Check cmd = Checks.probe(fake, new ProbeSpec.Command(List.of("test", "-f", "/up")), LOCAL);
    assertEquals("probe command", cmd.describe());
    String why = cmd.test(running(c.id(), null, null));
    assertTrue(why.startsWith("probe command [test, -f, /up] failing (exit 1"), why);
  }

  /**
   * The check's first result that is not its own 1 s request timeout: on a loaded machine the test
   * server may answer late, and readiness simply tries again, as this does.
   */
  private static String answer(Check check) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    String why;
    do {
      why = check.test(running("c", null, null));
    } while (why != null && why.contains("HttpTimeoutException") && System.nanoTime() < deadline);
    return why;
  }

  private String idOf(String name) {
    return fake.containers().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow()
        .id();
  }
}

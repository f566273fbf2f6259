package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import io.testrig.engine.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * testrig against an engine reachable only over TLS, as a GitLab job sees a docker:dind service
 * (DOCKER_HOST=tcp://docker:2376, DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH=/certs/client): the builder
 * image's own dockerd with DOCKER_TLS_CERTDIR set (the entrypoint makes the CA, server and client
 * certs as docker:dind does), its port 2376 published on a loopback port only and its client certs
 * in a bind-mounted host directory. The commands run as users run them: the shaded jar in its own
 * JVM with only the environment the test gives it.
 */
class EngineTlsIT {
  static final String NAME = "tls-engine-it-" + UUID.randomUUID().toString().substring(0, 8);
  static final Path JAR = Path.of(System.getProperty("testrig.jar", "target/testrig.jar"));

  @TempDir static Path shared;
  static Path certs;
  static String host;

  @BeforeAll
  static void startTlsEngine() throws Exception {
    ImageSupport.buildImage();
    certs = shared.resolve("certs");
    Files.createDirectories(certs);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    host = "tcp://127.0.0.1:" + port;
    List<String> run = new ArrayList<>(List.of("docker", "run", "-d", "--name", NAME));
    run.addAll(ImageSupport.dindArgs());
    run.addAll(
        List.of(
            "--tmpfs",
            "/var/lib/docker",
            "-e",
            "TESTRIG_DOCKERD=always",
            "-e",
            "DOCKER_TLS_CERTDIR=/certs",
            "-v",
            certs + ":/certs/client",
            "-p",
            "127.0.0.1:" + port + ":2376",
            ImageSupport.IMAGE,
            "sleep",
            "infinity"));
    Exec.Result r = ImageSupport.EXEC.run(run, Duration.ofMinutes(1));
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    // The entrypoint execs `sleep` only once its dockerd answers; until then `docker exec` into
    // the container finds no daemon.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      Exec.Result v =
          ImageSupport.EXEC.run(
              List.of(
                  "docker", "exec", NAME, "docker", "version", "--format", "{{.Server.Version}}"),
              Duration.ofSeconds(20));
      if (v.exitCode() == 0 && Files.isRegularFile(certs.resolve("key.pem"))) {
        break;
      }
      assertTrue(
          System.nanoTime() < deadline,
          () ->
              "inner dockerd did not start:\n"
                  + ImageSupport.EXEC
                      .run(List.of("docker", "logs", NAME), Duration.ofSeconds(20))
                      .stderr());
      Thread.sleep(300);
    }
  }

  @AfterAll
  static void removeTlsEngine() {
    ImageSupport.EXEC.run(List.of("docker", "rm", "-f", "-v", NAME), Duration.ofMinutes(1));
  }

  record Out(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** The jar in its own JVM with DOCKER_* from {@code docker} only (none inherited). */
  static Out testrig(Map<String, String> docker, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
    pb.environment().putAll(docker);
    Path out = Files.createTempFile(shared, "out", ".txt");
    Path err = Files.createTempFile(shared, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("testrig " + args + " did not finish");
    }
    return new Out(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static Map<String, String> tls(Path certPath) {
    return Map.of(
        "DOCKER_HOST", host, "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certPath.toString());
  }

  @Test
  void statusOverTlsShowsTheInnerEngineAndThePinnedApi() throws Exception {
    Out s = testrig(tls(certs), List.of("engine", "status", "--engine-wait", "20s"));
    assertEquals(0, s.code(), s::toString);
    assertTrue(s.out().contains("host:    " + host + "\n"), s::toString);
    // The inner engine is the image's Docker 26 (API 1.45), not the host's 20.10 (API 1.41).
    assertTrue(
        s.out().matches("(?s).*server:  Docker 26\\.[^\\n]*\\(API 1\\.4[4-9]\\).*"), s::toString);
    assertTrue(s.out().contains("api:     " + Engine.TESTED_API + " pinned"), s::toString);
    assertTrue(s.out().contains("compose: Docker Compose version"), s::toString);
    assertEquals("", s.err(), s::toString);
  }

  /**
   * The docker CLI, and so compose, turns TLS on for any non-empty DOCKER_TLS_VERIFY ("0" too):
   * testrig must agree or it and compose would talk to the engine differently.
   */
  @Test
  void dockerTlsVerifyZeroMeansTlsAsForTheDockerCli() throws Exception {
    Map<String, String> env = new HashMap<>(tls(certs));
    env.put("DOCKER_TLS_VERIFY", "0");
    Out s = testrig(env, List.of("engine", "status", "--engine-wait", "20s"));
    assertEquals(0, s.code(), s::toString);
    assertTrue(s.out().contains("server:  Docker 26."), s::toString);
  }

  @Test
  void withoutTlsTheTlsPortIsAOneLineErrorNamingTheHost() throws Exception {
    // Plain HTTP to dockerd's TLS port: dockerd answers 400 "Client sent an HTTP request to an
    // HTTPS server".
    Out s =
        testrig(Map.of("DOCKER_HOST", host), List.of("engine", "status", "--engine-wait", "2s"));
    assertOneLineEngineError(s);
  }

  @Test
  void aServerCertificateFromAnotherCaIsRejected() throws Exception {
    Path wrong = shared.resolve("wrong-ca");
    Files.createDirectories(wrong);
    Files.copy(certs.resolve("cert.pem"), wrong.resolve("cert.pem"));
    Files.copy(certs.resolve("key.pem"), wrong.resolve("key.pem"));
    Exec.Result ca =
        new Exec()
            .workDir(wrong)
            .run(
                List.of(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=not the dind CA",
                    "-keyout",
                    "ca-key.pem",
                    "-out",
                    "ca.pem"),
                Duration.ofMinutes(1));
    assertEquals(0, ca.exitCode(), ca.stderr());
    Out s = testrig(tls(wrong), List.of("engine", "status", "--engine-wait", "2s"));
    assertOneLineEngineError(s);
    assertTrue(s.err().contains("SSL") || s.err().contains("certif"), s::toString);
  }

  @Test
  void anIncompleteCertPathIsRefusedNotDowngradedToPlainHttp() throws Exception {
    // docker-java, testrig's client before, sent plain HTTP here (and got dockerd's 400); testrig
    // names the file.
    Path noClient = shared.resolve("ca-only");
    Files.createDirectories(noClient);
    Files.copy(certs.resolve("ca.pem"), noClient.resolve("ca.pem"));
    Out s = testrig(tls(noClient), List.of("engine", "status", "--engine-wait", "2s"));
    assertOneLineEngineError(s);
    assertTrue(
        s.err().contains("DOCKER_TLS_VERIFY is set but " + noClient.resolve("cert.pem")),
        s::toString);
    assertFalse(s.err().contains("HTTP request to an HTTPS server"), s::toString);
  }

  private static void assertOneLineEngineError(Out s) {
    assertEquals(3, s.code(), s::toString);
    assertEquals("", s.out(), s::toString);
    assertTrue(
        s.err().startsWith("testrig: no Docker engine answered at " + host + " "), s::toString);
    assertEquals(1, s.err().strip().lines().count(), s::toString);
  }

  /** compose runs with Engine.environment(): it must reach the same TLS engine. */
  @Test
  void upAndDownOfAStackThroughTls() throws Exception {
    Exec.Result load =
        ImageSupport.EXEC.run(
            List.of(
                "bash",
                "-c",
                "set -o pipefail; docker save debian:trixie-slim | docker exec -i "
                    + NAME
                    + " docker load"),
            Duration.ofMinutes(3));
    assertEquals(0, load.exitCode(), load.stdout() + load.stderr());
    Path dir = shared.resolve("stack");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("compose.yml"),
        """
        services:
          app:
            image: debian:trixie-slim
            init: true
            command: ["sh", "-c", "touch /tmp/ok; exec sleep infinity"]
            healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 30s}
        """);
    Files.writeString(dir.resolve("testrig.yml"), "stack: {files: [compose.yml]}\n");
    String rig = dir.resolve("testrig.yml").toString();
    String artifacts = dir.resolve("artifacts").toString();
    Map<String, String> env = new HashMap<>(tls(certs));
    Out up = testrig(env, List.of("up", "-f", rig, "--artifacts", artifacts));
    String project = "";
    Out down;
    try {
      assertEquals(0, up.code(), up::toString);
      assertTrue(up.out().contains("app: ready"), up::toString);
      String[] lines = up.out().strip().split("\n");
      project = lines[lines.length - 1].strip();
      assertTrue(project.startsWith("testrig-"), up::toString);
      // The stack is in the inner engine, not in the host's.
      assertEquals(List.of(project + "-app-1"), innerContainers(project));
      assertEquals("", hostContainers(project), "the stack landed on the host engine");
    } finally {
      // Always, so a failed assertion above leaves nothing in the inner engine either.
      down = testrig(env, List.of("down", "-f", rig, "--artifacts", artifacts));
    }
    assertEquals(0, down.code(), down::toString);
    assertTrue(
        down.out().startsWith(project + ": removed 1 containers, 1 networks"), down::toString);
    assertEquals(List.of(), innerContainers(project));
  }

  private static List<String> innerContainers(String project) {
    Exec.Result r =
        ImageSupport.EXEC.run(
            List.of(
                "docker",
                "exec",
                NAME,
                "docker",
                "ps",
                "-a",
                "--format",
                "{{.Names}}",
                "--filter",
                "label=com.docker.compose.project=" + project),
            Duration.ofSeconds(30));
    assertEquals(0, r.exitCode(), r.stderr());
    return r.stdout().lines().toList();
  }

  private static String hostContainers(String project) throws IOException {
    Exec.Result r =
        ImageSupport.EXEC.run(
            List.of(
                "docker",
                "ps",
                "-a",
                "-q",
                "--filter",
                "label=com.docker.compose.project=" + project),
            Duration.ofSeconds(30));
    assertEquals(0, r.exitCode(), r.stderr());
    return r.stdout().strip();
  }
}

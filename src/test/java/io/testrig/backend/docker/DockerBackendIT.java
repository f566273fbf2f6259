package io.testrig.backend.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerEvent;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.ContainerSpec;
import io.testrig.backend.ExecResult;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.LogChunk;
import io.testrig.backend.LogOptions;
import io.testrig.backend.Resource;
import io.testrig.backend.Subscription;
import io.testrig.engine.Engine;
import io.testrig.engine.Reaper;
import io.testrig.support.EngineExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * testrig's engine client against the real engine, verb by verb, with docker-java as the
 * independent view of what the engine holds: create with every field of a spec, start, exec
 * (output, exit code, timeout), logs (stdout and stderr apart), events, copy both ways, kill, wait,
 * stop, remove, networks, volumes, images, and the error kinds the engine answers with.
 */
class DockerBackendIT {
  static final String IMAGE = "debian:trixie-slim";
  static final String LABEL = "io.testrig.it.backend";

  @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();

  @TempDir Path tmp;
  String id;
  Backend backend;
  DockerClient oracle;

  @BeforeEach
  void connect() {
    Engine engine = ENGINE.engine();
    backend = engine.backend();
    oracle = DockerClients.of(engine);
    id = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void removeAll() {
    String f = LABEL + "=" + id;
    for (var c : oracle.listContainersCmd().withShowAll(true).withLabelFilter(List.of(f)).exec()) {
      oracle.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
    for (var n : oracle.listNetworksCmd().withFilter("label", List.of(f)).exec()) {
      oracle.removeNetworkCmd(n.getId()).exec();
    }
    var vols = oracle.listVolumesCmd().withFilter("label", List.of(f)).exec().getVolumes();
    for (var v :
        vols == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : vols) {
      oracle.removeVolumeCmd(v.getName()).exec();
    }
  }

  @Test
  void aContainerFromCreateToRemove() throws Exception {
    String net = "testrig-backend-it-" + id;
    oracle.createNetworkCmd().withName(net).withLabels(Map.of(LABEL, id)).exec();
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    Files.writeString(ro.resolve("f"), "read only\n");
    String name = "testrig-backend-it-" + id;
    ContainerSpec spec =
        new ContainerSpec(
            IMAGE,
            name,
            Map.of(LABEL, id, "other", "x"),
            List.of("A=one two"),
            List.of("sh", "-c", "echo out; echo err >&2; exec sleep 300"),
            64L * 1024 * 1024,
            net,
            "svc",
            Map.of(ro.toString(), "/mnt/ro"));
    String cid = backend.createContainer(spec);
    InspectContainerResponse c = oracle.inspectContainerCmd(cid).exec();
    assertEquals("/" + name, c.getName());
    assertEquals(Map.of(LABEL, id, "other", "x"), c.getConfig().getLabels());
    assertTrue(List.of(c.getConfig().getEnv()).contains("A=one two"));
    assertEquals(64L * 1024 * 1024, c.getHostConfig().getMemory());
    assertEquals(64L * 1024 * 1024, c.getHostConfig().getMemorySwap());
    assertEquals(net, c.getHostConfig().getNetworkMode());
    assertEquals(
        List.of(ro + ":/mnt/ro:ro"),
        List.of(c.getHostConfig().getBinds()).stream().map(Object::toString).toList());
    assertTrue(c.getNetworkSettings().getNetworks().get(net).getAliases().contains("svc"));
    assertEquals("created", backend.inspectContainer(cid).status());

    List<ContainerEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (Subscription ev =
        backend.events(LabelFilter.of(LABEL, id), System.currentTimeMillis() / 1000, events::add)) {
      backend.startContainer(cid);
      var again =
          assertThrows(BackendException.NotModified.class, () -> backend.startContainer(cid));
      assertTrue(again.getMessage().contains("already started"), again.getMessage());
      ContainerInfo running = backend.inspectContainer(cid);
      assertTrue(running.running());
      assertNotNull(running.ip());
      execs(cid);
      copies(cid);
      logs(cid);
      backend.killContainer(cid);
      backend.awaitStop(cid, Duration.ofSeconds(20));
      ContainerInfo dead = backend.inspectContainer(cid);
      assertFalse(dead.running());
      assertEquals(137L, dead.exitCode());
      awaitEvent(events, cid, "die");
    }
    assertEquals("137", die(events, cid).attributes().get("exitCode"));
    assertTrue(
        events.stream().anyMatch(e -> e.containerId().equals(cid) && e.action().equals("start")));
    assertThrows(BackendException.Conflict.class, () -> backend.killContainer(cid));
    assertThrows(
        BackendException.Conflict.class,
        () -> backend.exec(cid, List.of("true"), Duration.ofSeconds(5)));
    List<Resource> listed = backend.listContainers(LabelFilter.of(LABEL, id));
    assertEquals(List.of(new Resource(cid, name, Map.of(LABEL, id, "other", "x"))), listed);
    backend.removeContainer(cid);
    assertThrows(BackendException.NotFound.class, () -> backend.inspectContainer(cid));
    assertThrows(BackendException.NotFound.class, () -> backend.removeContainer(cid));
    assertEquals(List.of(), backend.listContainers(LabelFilter.of(LABEL, id)));
  }

  private void execs(String cid) throws InterruptedException {
    ExecResult r =
        backend.exec(
            cid,
            List.of("sh", "-c", "echo hi; sleep 0.2; echo there >&2; exit 3"),
            Duration.ofSeconds(20));
    assertEquals(new ExecResult(3, "hi\nthere"), r);
    assertEquals(
        new ExecResult(0, "/mnt/ro/f"),
        backend.exec(cid, List.of("ls", "/mnt/ro/f"), Duration.ofSeconds(20)));
    long t0 = System.nanoTime();
    ExecResult slow = backend.exec(cid, List.of("sleep", "30"), Duration.ofMillis(500));
    assertEquals(new ExecResult(-1, "timed out after 500 ms"), slow);
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    assertThrows(
        BackendException.NotFound.class,
        () -> backend.exec("gone-" + id, List.of("true"), Duration.ofSeconds(5)));
  }

  private void copies(String cid) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    byte[] content = "copied in\n".getBytes(StandardCharsets.UTF_8);
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry e = new TarArchiveEntry("in/hello.txt");
      e.setSize(content.length);
      out.putArchiveEntry(e);
      out.write(content);
      out.closeArchiveEntry();
    }
    backend.copyTo(cid, "/tmp", new ByteArrayInputStream(tar.toByteArray()));
    try (InputStream in = backend.copyFrom(cid, "/tmp/in/hello.txt");
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e = t.getNextEntry();
      assertEquals("hello.txt", e.getName());
      assertEquals("copied in\n", new String(t.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThrows(BackendException.NotFound.class, () -> backend.copyFrom(cid, "/no/such/path"));
    assertThrows(
        BackendException.NotFound.class,
        () -> backend.copyTo(cid, "/no/such/dir", new ByteArrayInputStream(tar.toByteArray())));
  }

  private void logs(String cid) throws InterruptedException {
    List<LogChunk> chunks = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = backend.logs(cid, new LogOptions(false, false), chunks::add)) {
      assertTrue(s.await(Duration.ofSeconds(20)));
    }
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    for (LogChunk c : chunks) {
      (c.stderr() ? err : out).append(new String(c.bytes(), StandardCharsets.UTF_8));
    }
    assertEquals("out\n", out.toString());
    assertEquals("err\n", err.toString());
    List<LogChunk> stamped = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = backend.logs(cid, new LogOptions(true, false), stamped::add)) {
      assertTrue(s.await(Duration.ofSeconds(20)));
    }
    String first = new String(stamped.get(0).bytes(), StandardCharsets.UTF_8);
    assertTrue(first.matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+ (out|err)\n"), first);
  }

  private static void awaitEvent(List<ContainerEvent> events, String cid, String action)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (die(events, cid) == null) {
      assertTrue(System.nanoTime() < deadline, () -> "no " + action + " event: " + events);
      Thread.sleep(50);
    }
  }

  private static ContainerEvent die(List<ContainerEvent> events, String cid) {
    synchronized (events) {
      return events.stream()
          .filter(e -> e.containerId().equals(cid) && e.action().equals("die"))
          .findFirst()
          .orElse(null);
    }
  }

  @Test
  void stopOfAContainerThatIsNotRunningAndWaitOfOneThatRuns() throws Exception {
    String cid =
        backend.createContainer(
            new ContainerSpec(
                IMAGE,
                "testrig-backend-it-stop-" + id,
                Map.of(LABEL, id),
                List.of(),
                List.of("sleep", "300"),
                null,
                null,
                null));
    // Not running (the engine answers 304): stopped already, which is what stop is for.
    backend.stopContainer(cid, Duration.ofSeconds(1));
    backend.startContainer(cid);
    long t0 = System.nanoTime();
    backend.awaitStop(cid, Duration.ofMillis(400));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 400 && ms < 5_000, ms + " ms");
    assertTrue(backend.inspectContainer(cid).running());
    backend.stopContainer(cid, Duration.ofSeconds(1));
    assertFalse(backend.inspectContainer(cid).running());
    assertThrows(
        BackendException.NotFound.class,
        () -> backend.awaitStop("gone-" + id, Duration.ofSeconds(5)));
    backend.removeContainer(cid);
  }

  /**
   * A graceful teardown stops each container before removing it; an exited one (a one-shot service)
   * made the engine's stop answer 304, and the Reaper kept the container over it.
   */
  @Test
  void aGracefulTeardownRemovesAnExitedContainer() throws Exception {
    String cid =
        backend.createContainer(
            new ContainerSpec(
                IMAGE,
                "testrig-backend-it-oneshot-" + id,
                Map.of(LABEL, id),
                List.of(),
                List.of("true"),
                null,
                null,
                null));
    backend.startContainer(cid);
    backend.awaitStop(cid, Duration.ofSeconds(20));
    assertEquals(0L, backend.inspectContainer(cid).exitCode());
    Reaper.Removed r = Reaper.remove(backend, LABEL, id, l -> true, true);
    assertEquals(List.of(), r.kept());
    assertEquals(List.of("testrig-backend-it-oneshot-" + id), r.containers());
    assertThrows(BackendException.NotFound.class, () -> backend.inspectContainer(cid));
  }

  @Test
  void networksVolumesAndImages() {
    String net = "testrig-backend-it-" + id;
    String netId =
        oracle.createNetworkCmd().withName(net).withLabels(Map.of(LABEL, id)).exec().getId();
    String vol = "testrig-backend-it-" + id;
    oracle.createVolumeCmd().withName(vol).withLabels(Map.of(LABEL, id)).exec();
    assertEquals(
        List.of(new Resource(netId, net, Map.of(LABEL, id))),
        backend.listNetworks(LabelFilter.of(LABEL, id)));
    assertEquals(
        List.of(new Resource(vol, vol, Map.of(LABEL, id))),
        backend.listVolumes(LabelFilter.of(LABEL, null)).stream()
            .filter(v -> v.name().equals(vol))
            .toList());
    String user =
        oracle
            .createContainerCmd(IMAGE)
            .withCmd("true")
            .withLabels(Map.of(LABEL, id))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withBinds(com.github.dockerjava.api.model.Bind.parse(vol + ":/data")))
            .exec()
            .getId();
    assertThrows(BackendException.Conflict.class, () -> backend.removeVolume(vol));
    backend.removeContainer(user);
    backend.removeVolume(vol);
    assertThrows(BackendException.NotFound.class, () -> backend.removeVolume(vol));
    backend.removeNetwork(netId);
    assertThrows(BackendException.NotFound.class, () -> backend.removeNetwork(netId));
    assertTrue(backend.imageExists(IMAGE));
    assertTrue(backend.imageExists("docker.io/library/" + IMAGE));
    assertFalse(backend.imageExists("testrig-no-such-image-" + id + ":none"));
    var pull =
        assertThrows(
            RuntimeException.class,
            () ->
                backend.createContainer(
                    new ContainerSpec(
                        "testrig-no-such-image-" + id + ":none",
                        "x-" + id,
                        Map.of(LABEL, id),
                        List.of(),
                        List.of(),
                        null,
                        null,
                        null)));
    assertTrue(pull instanceof BackendException.NotFound, pull.toString());
  }
}

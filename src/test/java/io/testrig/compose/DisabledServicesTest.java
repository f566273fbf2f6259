package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.compose.ServiceStatus.State;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 2 on {@link FakeBackend}: a service a flag switched off is never created nor waited
 * for, its status and log say why, and a hard dependency on it is bad input before anything exists.
 */
class DisabledServicesTest {
  @TempDir Path dir;

  private final FakeBackend fake = new FakeBackend();
  private final Engine engine = Engine.of(fake, "unix:///fake.sock", Map.of());
  private static final Map<String, String> OFF =
      Map.of("metrics", "disabled by features.monitoring=false");

  @AfterEach
  void close() {
    engine.close();
  }

  private Rig rig() throws IOException {
    Files.writeString(dir.resolve("compose.yml"), "services: {}\n");
    String text =
        "stack:\n  files: [compose.yml]\n  project: testrig-unit-"
            + Long.toHexString(System.nanoTime())
            + "\n  timeout: 5s\n";
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, text);
    return new RigLoader().parse(file, text);
  }

  private StackOptions options() {
    return StackOptions.defaults(dir.resolve("artifacts"))
        .withShutdownHook(false)
        .withStateDir(dir);
  }

  @Test
  void aDisabledServiceIsNeverCreatedAndItsStatusAndLogSayWhy() throws IOException {
    fake.service("web").optionallyDependsOn("metrics", "service_healthy");
    // Were it created, it would never be ready and the bring-up would time out.
    fake.service("metrics").healthcheck(null);
    try (Stack stack = StackService.up(engine, rig(), options(), OFF)) {
      Map<String, ServiceStatus> s = new java.util.HashMap<>();
      stack.services().forEach(st -> s.put(st.service(), st));
      assertEquals(State.READY, s.get("web").state());
      assertEquals(State.SKIPPED, s.get("metrics").state());
      assertEquals("disabled by features.monitoring=false", s.get("metrics").message());
      assertEquals(
          List.of("web", "metrics"), stack.services().stream().map(x -> x.service()).toList());
      List<String> names = fake.containers().stream().map(FakeBackend.Container::name).toList();
      assertTrue(names.stream().noneMatch(n -> n.contains("metrics")), names.toString());
      assertEquals(1, names.size(), names.toString());
    }
    assertEquals(
        "testrig: service 'metrics' not started: disabled by features.monitoring=false\n",
        Files.readString(dir.resolve("artifacts/logs/metrics.log")));
  }

  @Test
  void aHardDependencyOnADisabledServiceIsBadInputBeforeAnythingIsCreated() throws IOException {
    fake.service("web").dependsOn("metrics", "service_started");
    fake.service("metrics");
    Rig rig = rig();
    TestrigException e =
        assertThrows(TestrigException.class, () -> StackService.up(engine, rig, options(), OFF));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        rig.file()
            + ": stack.services.metrics.enabled_if: service 'web' depends on 'metrics', which is"
            + " disabled by features.monitoring=false; give 'web' the same enabled_if, or make the"
            + " dependency optional (depends_on: {metrics: {required: false}})",
        e.getMessage());
    assertEquals(List.of(), fake.containers());
    assertEquals(List.of(), fake.networks());
  }

  @Test
  void aDependentThatIsDisabledTooIsFine() throws IOException {
    fake.service("web");
    fake.service("dashboard").dependsOn("metrics", "service_started");
    fake.service("metrics");
    Map<String, String> off =
        Map.of("metrics", "disabled by x=false", "dashboard", "disabled by x=false");
    try (Stack stack = StackService.up(engine, rig(), options(), off)) {
      assertEquals(
          List.of(State.READY, State.SKIPPED, State.SKIPPED),
          stack.services().stream().map(ServiceStatus::state).toList());
    }
  }
}

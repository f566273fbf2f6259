package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StackOptions#beforeStart()} on {@link FakeBackend}: a matrix config waits there for its
 * turn (run.ConfigScheduler, issue 11) with its containers created and none started, and a wait
 * that fails removes what the bring-up created.
 */
class StartGateTest {
  @TempDir Path dir;

  private final FakeBackend fake = new FakeBackend();
  private final Engine engine = Engine.of(fake, "unix:///fake.sock", Map.of());

  @AfterEach
  void close() {
    engine.close();
  }

  private Rig rig() throws IOException {
    Files.writeString(dir.resolve("compose.yml"), "services: {}\n");
    String text =
        "stack:\n"
            + "  files: [compose.yml]\n"
            + "  project: testrig-unit-"
            + Long.toHexString(System.nanoTime())
            + "\n"
            + "  timeout: 5s\n";
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, text);
    return new RigLoader().parse(file, text);
  }

  private StackOptions options(Runnable gate) {
    return StackOptions.defaults(dir.resolve("artifacts"))
        .withShutdownHook(false)
        .withStateDir(dir)
        .withBeforeStart(gate);
  }

  @Test
  void theGateRunsOnceWithEveryContainerCreatedAndNoneStarted() throws IOException {
    fake.service("db");
    fake.service("cache");
    List<List<String>> atGate = new ArrayList<>();
    try (Stack stack = StackService.up(engine, rig(), options(() -> atGate.add(fake.calls())))) {
      assertEquals(2, stack.services().size());
      assertTrue(stack.services().stream().allMatch(ServiceStatus::ok), stack.services()::toString);
    }
    assertEquals(1, atGate.size(), "called once");
    List<String> calls = atGate.get(0);
    assertTrue(calls.stream().anyMatch(c -> c.startsWith("compose create ")), calls::toString);
    assertTrue(calls.stream().noneMatch(c -> c.startsWith("start ")), calls::toString);
    assertTrue(
        fake.calls().stream().filter(c -> c.startsWith("start ")).count() == 2,
        fake.calls()::toString);
  }

  @Test
  void aGateThatThrowsStartsNothingAndLeavesNothingBehind() throws IOException {
    fake.service("db");
    Rig rig = rig();
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                StackService.up(
                    engine,
                    rig,
                    options(
                        () -> {
                          throw new TestrigException(ExitCode.INTERRUPTED, "interrupted");
                        })));
    assertEquals(ExitCode.INTERRUPTED, e.exitCode());
    assertTrue(
        fake.calls().stream().noneMatch(c -> c.startsWith("start ")), fake.calls()::toString);
    assertEquals(List.of(), fake.containers());
    assertEquals(List.of(), fake.networks());
  }

  @Test
  void withoutAGateTheBringUpIsAsBefore() throws IOException {
    fake.service("db");
    StackOptions plain =
        StackOptions.defaults(dir.resolve("artifacts")).withShutdownHook(false).withStateDir(dir);
    try (Stack stack = StackService.up(engine, rig(), plain)) {
      assertEquals(ServiceStatus.State.READY, stack.services().get(0).state());
    }
  }
}

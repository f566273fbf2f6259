package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import io.testrig.secrets.RunDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code testrig down} on {@link FakeBackend}: what goes, what is printed, without an engine. */
class DownServiceTest {
  @TempDir Path dir;
  private final StringWriter sink = new StringWriter();
  private final Output out =
      Output.forEnvironment(
          new PrintWriter(sink, true),
          new PrintWriter(sink, true),
          Map.<String, String>of()::get,
          false);

  private Rig rig() throws Exception {
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, "name: d\n");
    return new RigLoader().load(file);
  }

  /** The run directory {@code up} made for {@code rig}: {@code dir/run}. */
  private Path renderedRunDir(Rig rig) {
    Path runDir = dir.resolve("run");
    RunDir.resolve(rig, runDir);
    return runDir;
  }

  /** Waits (bounded) for {@code latch} inside a supplier; fails with {@code what} otherwise. */
  private static void await(CountDownLatch latch, String what) {
    try {
      assertTrue(latch.await(5, TimeUnit.SECONDS), what);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DownService's down with this test's artifacts directory and rig file. */
  private void down(
      Supplier<Engine> connect, Supplier<Rig> rig, List<String> projects, Path runDir) {
    new DownService(new Redactor(), out)
        .down(connect, rig, projects, runDir, dir.resolve("artifacts"), dir.resolve("testrig.yml"));
  }

  private void stack(FakeBackend fake, Rig rig, String project) {
    fake.addContainer(
        project + "-db-1",
        Map.of(
            Labels.COMPOSE_PROJECT,
            project,
            Labels.COMPOSE_SERVICE,
            "db",
            Labels.COMPOSE_ONEOFF,
            "False",
            Labels.RIG,
            rig.file().toAbsolutePath().normalize().toString()));
    fake.addNetwork(project + "_default", Map.of(Labels.COMPOSE_PROJECT, project));
    fake.addVolume(project + "_data", Map.of(Labels.COMPOSE_PROJECT, project), false);
  }

  @Test
  void withoutProjectsRemovesEveryStackOfTheRigAndWipesItsRunDirectory() throws Exception {
    Rig rig = rig();
    Path runDir = renderedRunDir(rig); // what `up` rendered into
    try (FakeBackend fake = new FakeBackend()) {
      stack(fake, rig, "testrig-a");
      stack(fake, rig, "testrig-b");
      down(() -> Engine.of(fake, "unix:///fake.sock", Map.of()), () -> rig, List.of(), runDir);
      assertEquals(List.of(), fake.containers());
      assertEquals(List.of(), fake.networks());
      assertEquals(List.of(), fake.volumes());
    }
    assertEquals(
        "testrig-a: removed 1 containers, 1 networks, 1 volumes\n"
            + "testrig-b: removed 1 containers, 1 networks, 1 volumes\n"
            + "wiped "
            + runDir
            + "\n",
        sink.toString());
    assertFalse(Files.exists(runDir));
    assertTrue(Files.isRegularFile(dir.resolve("artifacts/logs/db.log")));
  }

  @Test
  void noStackRunningStillWipesTheSecrets() throws Exception {
    Rig rig = rig();
    Path runDir = renderedRunDir(rig);
    try (FakeBackend fake = new FakeBackend()) {
      down(() -> Engine.of(fake, "unix:///fake.sock", Map.of()), () -> rig, List.of(), runDir);
    }
    assertEquals(
        "no testrig stack of " + rig.file() + " is running\nwiped " + runDir + "\n",
        sink.toString());
    assertFalse(Files.exists(runDir));
  }

  @Test
  void aNamedProjectWithoutARigFileWipesNothingAndAContainerThatStaysIsExitFour() throws Exception {
    try (FakeBackend fake = new FakeBackend()) {
      fake.addContainer("testrig-x-db-1", Map.of(Labels.COMPOSE_PROJECT, "testrig-x"));
      // Another container (not of this project) still uses the volume.
      fake.addVolume("testrig-x_data", Map.of(Labels.COMPOSE_PROJECT, "testrig-x"), true);
      TestrigException e =
          assertThrows(
              TestrigException.class,
              () ->
                  down(
                      () -> Engine.of(fake, "unix:///fake.sock", Map.of()),
                      () -> null,
                      List.of("testrig-x"),
                      null));
      assertEquals(ExitCode.STACK_FAILED, e.exitCode());
      assertTrue(e.getMessage().startsWith("testrig-x: could not remove "), e.getMessage());
    }
    assertEquals("testrig-x: removed 1 containers, 0 networks, 0 volumes\n", sink.toString());
  }

  @Test
  void theRigIsReadWhileTheEngineConnectsAndTheEngineFailureStillWins() throws Exception {
    Rig rig = rig();
    Path runDir = renderedRunDir(rig);
    CountDownLatch read = new CountDownLatch(1);
    try (FakeBackend fake = new FakeBackend()) {
      stack(fake, rig, "testrig-a");
      // The connection completes only once the rig was read: serially (connect, then read) this
      // would fail.
      down(
          () -> {
            await(read, "rig read during the connect");
            return Engine.of(fake, "unix:///fake.sock", Map.of());
          },
          () -> {
            read.countDown();
            return rig;
          },
          List.of(),
          runDir);
      assertEquals(List.of(), fake.containers());
      assertFalse(Files.exists(runDir));
    }
    TestrigException noEngine = new TestrigException(ExitCode.ENGINE_UNAVAILABLE, "no engine");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                down(
                    () -> {
                      throw noEngine;
                    },
                    () -> {
                      throw TestrigException.badInput("testrig.yml:1: bad");
                    },
                    List.of(),
                    runDir));
    assertEquals(ExitCode.ENGINE_UNAVAILABLE, e.exitCode());
  }

  @Test
  void namedStacksGoWhileTheRigIsStillBeingRead() throws Exception {
    stacksGoWhileTheRigIsStillBeingRead(List.of("testrig-a"));
  }

  /** Without -p too: the stacks are found by the rig file's path, not by the parsed rig. */
  @Test
  void theRigFilesStacksGoWhileItIsStillBeingRead() throws Exception {
    stacksGoWhileTheRigIsStillBeingRead(List.of());
  }

  /** The rig is read only once the removal has begun: waiting for it first would fail. */
  private void stacksGoWhileTheRigIsStillBeingRead(List<String> projects) throws Exception {
    Rig rig = rig();
    Path runDir = renderedRunDir(rig);
    CountDownLatch stopping = new CountDownLatch(1);
    try (FakeBackend fake = new FakeBackend()) {
      stack(fake, rig, "testrig-a");
      fake.onStop(name -> stopping.countDown());
      down(
          () -> Engine.of(fake, "unix:///fake.sock", Map.of()),
          () -> {
            await(stopping, "removal began first");
            return rig;
          },
          projects,
          runDir);
      assertEquals(List.of(), fake.containers());
    }
    assertFalse(Files.exists(runDir), "the run directory is wiped");
  }

  @Test
  void aRigThatCannotBeReadFailsANamedDownAfterItsStackIsGone() throws Exception {
    try (FakeBackend fake = new FakeBackend()) {
      fake.addContainer("testrig-x-db-1", Map.of(Labels.COMPOSE_PROJECT, "testrig-x"));
      TestrigException e =
          assertThrows(
              TestrigException.class,
              () ->
                  down(
                      () -> Engine.of(fake, "unix:///fake.sock", Map.of()),
                      () -> {
                        throw TestrigException.badInput("testrig.yml:1: bad");
                      },
                      List.of("testrig-x"),
                      null));
      assertEquals(ExitCode.BAD_INPUT, e.exitCode());
      assertEquals("testrig.yml:1: bad", e.getMessage());
      assertEquals(List.of(), fake.containers());
    }
    assertEquals("testrig-x: removed 1 containers, 0 networks, 0 volumes\n", sink.toString());
  }

  @Test
  void withProjectsAndARunDirectoryNoRigIsNeededAndTheRunDirectoryIsWiped() throws Exception {
    Rig rig = rig();
    Path runDir = renderedRunDir(rig);
    try (FakeBackend fake = new FakeBackend()) {
      stack(fake, rig, "testrig-a");
      down(
          () -> Engine.of(fake, "unix:///fake.sock", Map.of()),
          () -> null, // DownCommand reads no rig file for -p with --run-dir
          List.of("testrig-a"),
          runDir);
      assertEquals(List.of(), fake.containers());
    }
    assertFalse(Files.exists(runDir), "the given run directory is wiped");
  }
}

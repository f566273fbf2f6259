package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.engine.Engine;
import io.testrig.engine.Labels;
import io.testrig.engine.Reaper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-level remove ({@code testrig down}, the run's teardown) on {@link FakeBackend}. */
class StackRemoveTest {
  @TempDir Path dir;

  @Test
  void removesTheProjectAndEverythingOfItsRunIdButNotOtherRuns() {
    try (FakeBackend fake = new FakeBackend()) {
      Engine engine = Engine.of(fake, "unix:///fake.sock", Map.of());
      fake.addContainer(
          "testrig-r1-db-1",
          Map.of(
              Labels.COMPOSE_PROJECT,
              "testrig-r1",
              Labels.COMPOSE_SERVICE,
              "db",
              Labels.RUN_ID,
              "r1"));
      // A suite container of the same run, started outside compose.
      fake.addContainer("testrig-suite-r1-api-abc", Map.of(Labels.RUN_ID, "r1"));
      fake.addContainer(
          "testrig-r2-db-1", Map.of(Labels.COMPOSE_PROJECT, "testrig-r2", Labels.RUN_ID, "r2"));
      fake.addNetwork("testrig-r1_default", Map.of(Labels.COMPOSE_PROJECT, "testrig-r1"));

      Reaper.Removed r = Stack.remove(engine, "testrig-r1", "r1", false);

      assertEquals(List.of("testrig-r1-db-1", "testrig-suite-r1-api-abc"), r.containers());
      assertEquals(List.of("testrig-r1_default"), r.networks());
      // The suite container (run id only) may sit on the project's network: every container goes
      // before any network, whichever label found it.
      List<String> calls = fake.calls();
      assertTrue(
          calls.indexOf("remove testrig-suite-r1-api-abc")
              < calls.indexOf("remove network n-testrig-r1_default"),
          calls.toString());
      assertEquals(
          List.of("testrig-r2-db-1"),
          fake.containers().stream().map(FakeBackend.Container::name).toList());
    }
  }

  @Test
  void downSavesTheLogsThenRemovesWhatTheRunIdFinds() throws Exception {
    try (FakeBackend fake = new FakeBackend()) {
      Engine engine = Engine.of(fake, "unix:///fake.sock", Map.of());
      fake.addContainer("testrig-r1-suite", Map.of(Labels.RUN_ID, "r1"));
      // The compose container, as create labels it, plus the run id the override adds.
      fake.addContainer(
          "testrig-r1-db-1",
          Map.of(
              Labels.COMPOSE_PROJECT, "testrig-r1",
              Labels.COMPOSE_SERVICE, "db",
              Labels.COMPOSE_ONEOFF, "False",
              Labels.RUN_ID, "r1"));

      StackService.Down d =
          StackService.down(engine, "testrig-r1", dir, new io.testrig.core.Redactor());

      assertEquals(null, d.logsProblem());
      assertEquals(2, d.removed().containers().size());
      assertEquals(List.of(), fake.containers());
      assertEquals(true, Files.exists(dir.resolve("logs/db.log")));
    }
  }
}

package io.testrig.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.backend.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Teardown by label on {@link FakeBackend}: what goes, what stays, and in which order. */
class ReaperTest {
  private final FakeBackend fake = new FakeBackend();

  @AfterEach
  void close() {
    fake.close();
  }

  private static Map<String, String> run(String id) {
    return Map.of(Labels.RUN_ID, id, Labels.COMPOSE_PROJECT, "testrig-" + id);
  }

  @Test
  void removesContainersThenNetworksThenVolumesOfTheLabelOnly() {
    fake.addContainer("a-db-1", run("a"));
    fake.addContainer("a-api-1", run("a"));
    fake.addContainer("b-db-1", run("b"));
    fake.addNetwork("a_default", run("a"));
    fake.addNetwork("b_default", run("b"));
    fake.addVolume("a_data", run("a"), false);

    Reaper.Removed r = Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false);

    assertEquals(List.of("a-api-1", "a-db-1"), r.containers().stream().sorted().toList());
    assertEquals(List.of("a_default"), r.networks());
    assertEquals(List.of("a_data"), r.volumes());
    assertEquals(List.of(), r.kept());
    assertEquals(
        List.of("b-db-1"), fake.containers().stream().map(FakeBackend.Container::name).toList());
    assertEquals(List.of("b_default"), fake.networks().stream().map(Resource::name).toList());
    List<String> calls = fake.calls();
    int lastContainer = Math.max(calls.indexOf("remove a-db-1"), calls.indexOf("remove a-api-1"));
    assertTrue(lastContainer < calls.indexOf("remove network n-a_default"), calls.toString());
    assertTrue(
        calls.indexOf("remove network n-a_default") < calls.indexOf("remove volume a_data"),
        calls.toString());
  }

  @Test
  void aNetworkWhoseEndpointsAreStillBeingReleasedIsRemovedOnRetry() {
    fake.addContainer("a-db-1", run("a"));
    fake.addNetwork("a_default", run("a"));
    fake.networkBusy("n-a_default", 3);

    Reaper.Removed r = Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false);

    assertEquals(List.of("a_default"), r.networks());
    assertEquals(List.of(), r.kept());
    assertEquals(List.of(), fake.networks());
    assertEquals(
        4, fake.calls().stream().filter(c -> c.equals("remove network n-a_default")).count());
  }

  @Test
  void gracefulStopsBeforeRemoving() {
    FakeBackend.Container c = fake.addContainer("a-db-1", run("a"));
    fake.startContainer(c.id());
    Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, true);
    assertEquals(List.of("start a-db-1", "stop a-db-1", "remove a-db-1"), fake.calls());
    assertEquals("exited", c.status());
  }

  @Test
  void aKilledContainerIsStoppedAtOnceBeforeItIsRemoved() {
    // As `compose down -t 0`: removing running containers at once made dockerd 20.10 keep counting
    // an endpoint on their network (docs/troubleshooting.md).
    FakeBackend.Container c = fake.addContainer("a-db-1", run("a"));
    fake.startContainer(c.id());
    Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false);
    assertEquals(List.of("start a-db-1", "stop a-db-1 at once", "remove a-db-1"), fake.calls());
  }

  @Test
  void everyContainerOfABigStackIsStoppedAtOnceAsComposeDownDoes() throws Exception {
    // Each stop waits until all 60 have begun: with fewer threads than containers the first ones
    // time out instead.
    int n = 60;
    CountDownLatch allBegun = new CountDownLatch(n);
    List<String> late = new CopyOnWriteArrayList<>();
    for (int i = 0; i < n; i++) {
      fake.startContainer(fake.addContainer("a-s" + i + "-1", run("a")).id());
    }
    fake.onStop(
        name -> {
          allBegun.countDown();
          try {
            if (!allBegun.await(10, TimeUnit.SECONDS)) {
              late.add(name);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    Reaper.Removed r = Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false);
    assertEquals(List.of(), late);
    assertEquals(n, r.containers().size());
    assertEquals(List.of(), fake.containers());
  }

  @Test
  void aNetworkStillCountingEndpointsIsReportedWithTheNextStep() {
    String busy =
        Reaper.keptNetwork(
            "a_default",
            new IllegalStateException(
                "error while removing network: network a_default id 1f has active endpoints"));
    assertTrue(busy.startsWith("network a_default: error while removing network"), busy);
    assertTrue(busy.contains("docker network inspect a_default"), busy);
    assertTrue(busy.contains("restart dockerd"), busy);
    assertTrue(busy.contains("docs/troubleshooting.md"), busy);
    assertEquals(
        "network a_default: permission denied",
        Reaper.keptNetwork("a_default", new IllegalStateException("permission denied")));
  }

  @Test
  void theSelectorDecidesPerResource() {
    fake.addContainer("old", Map.of(Labels.RUN_ID, "old", Labels.CI_JOB, "7"));
    fake.addContainer("new", Map.of(Labels.RUN_ID, "new", Labels.CI_JOB, "8"));
    Reaper.Removed r =
        Reaper.remove(fake, Labels.RUN_ID, null, l -> "7".equals(l.get(Labels.CI_JOB)), false);
    assertEquals(List.of("old"), r.containers());
    assertEquals(1, fake.containers().size());
  }

  @Test
  void aVolumeInUseIsKeptAndSaidSo() {
    fake.addVolume("a_data", run("a"), true);
    Reaper.Removed r = Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false);
    assertEquals(List.of(), r.volumes());
    assertEquals(List.of("volume a_data: in use"), r.kept());
    assertTrue(r.isEmpty());
  }

  @Test
  void aSecondPassFindsNothing() {
    fake.addContainer("a-db-1", run("a"));
    fake.addNetwork("a_default", run("a"));
    assertEquals(2, Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false).total());
    assertEquals(0, Reaper.remove(fake, Labels.RUN_ID, "a", l -> true, false).total());
  }

  @Test
  void removeUntilQuietCatchesWhatAppearsAfterTheFirstPass() throws Exception {
    fake.addContainer("a-db-1", run("a"));
    Thread late =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              fake.addContainer("a-late-1", run("a"));
            });
    late.start();
    Reaper.Removed r =
        Reaper.removeUntilQuiet(
            fake, Labels.RUN_ID, "a", Duration.ofMillis(700), Duration.ofSeconds(3));
    late.join();
    assertEquals(List.of("a-db-1", "a-late-1"), r.containers());
    assertEquals(List.of(), fake.containers());
  }
}

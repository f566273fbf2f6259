package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.compose.ServiceStatus.State;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged bring-up (preflight, label override, create, depends_on gate, start, readiness) on
 * {@link FakeBackend}: the timing rules without an engine, in well under a second per case.
 */
class StagedBringupTest {
  @TempDir Path dir;

  private final FakeBackend fake = new FakeBackend();
  private final Engine engine = Engine.of(fake, "unix:///fake.sock", Map.of());

  @AfterEach
  void close() {
    engine.close();
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  /** A rig whose stack times out after {@code timeout} unless a service says otherwise. */
  private Rig rig(String timeout, String services) throws IOException {
    Files.writeString(dir.resolve("compose.yml"), "services: {}\n");
    String text =
        "stack:\n"
            + "  files: [compose.yml]\n"
            + "  project: testrig-unit-"
            + Long.toHexString(System.nanoTime())
            + "\n"
            + "  timeout: "
            + timeout
            + "\n"
            + (services.isEmpty() ? "" : "  services:\n" + services);
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, text);
    return new RigLoader().parse(file, text);
  }

  private StackOptions options() {
    return StackOptions.defaults(dir.resolve("artifacts"))
        .withShutdownHook(false)
        .withStateDir(dir);
  }

  private static Map<String, ServiceStatus> byService(List<ServiceStatus> statuses) {
    return statuses.stream().collect(Collectors.toMap(ServiceStatus::service, Function.identity()));
  }

  private Map<String, ServiceStatus> up(Rig rig) {
    try (Stack stack = StackService.up(engine, rig, options())) {
      return byService(stack.services());
    }
  }

  private StackFailedException failure(Rig rig) {
    return assertThrows(StackFailedException.class, () -> StackService.up(engine, rig, options()));
  }

  @Test
  void aHealthcheckThatNeverPassesTimesOutNamingServiceStateAndLogTail() throws IOException {
    fake.service("db").healthcheck(null).log("starting").log("waiting for disk");
    StackFailedException e = failure(rig("300ms", ""));
    String m = e.getMessage();
    assertTrue(m.startsWith("service 'db' not ready within 300 ms (running, healthcheck"), m);
    assertTrue(m.contains("last log lines: starting | waiting for disk"), m);
    assertTrue(m.contains("log: " + dir.resolve("artifacts/logs/db.log")), m);
    assertEquals(State.FAILED, byService(e.services()).get("db").state());
    // Nothing left behind: the failed bring-up removed what it created.
    assertEquals(List.of(), fake.containers());
    assertEquals(List.of(), fake.networks());
  }

  @Test
  void healthcheckExecsArePacedFromTheFirstPauseUpToTheLongest() throws IOException {
    fake.service("db").healthcheck(ms(2500));
    Map<String, ServiceStatus> s = up(rig("10s", ""));
    assertEquals(State.READY, s.get("db").state());
    assertEquals("healthcheck", s.get("db").how());
    List<Long> execs = fake.execTimes("-db-");
    assertTrue(execs.size() >= 3, "execs: " + execs.size());
    List<Long> gaps = new java.util.ArrayList<>();
    for (int i = 1; i < execs.size(); i++) {
      gaps.add((execs.get(i) - execs.get(i - 1)) / 1_000_000);
    }
    // Never faster than the first pause (the engine must not be flooded), growing while the
    // check fails, and never much beyond the longest pause (ProbePacer, issue 11).
    assertTrue(gaps.stream().allMatch(g -> g >= ProbePacer.FIRST_MS - 20), gaps.toString());
    assertTrue(gaps.get(gaps.size() - 1) > gaps.get(0), gaps.toString());
    assertTrue(
        gaps.stream().allMatch(g -> g <= ProbePacer.MAX_MS + ProbePacer.MAX_MS / 2),
        gaps.toString());
  }

  @Test
  void thirtyServicesInThreeTiersAreAllReadyInDependencyOrder() throws IOException {
    for (int i = 1; i <= 30; i++) {
      FakeBackend.Service svc = fake.service("s" + i).healthcheck(ms(i <= 10 ? 300 : 100));
      if (i > 10) {
        svc.dependsOn("s" + (i - 10), "service_healthy");
      }
    }
    Map<String, ServiceStatus> s = up(rig("30s", ""));
    for (int i = 1; i <= 30; i++) {
      assertEquals(State.READY, s.get("s" + i).state(), s.get("s" + i).toString());
    }
    for (int i = 11; i <= 30; i++) {
      String dep = "s" + (i - 10);
      String svc = "s" + i;
      assertTrue(startedBefore(dep, svc), dep + " before " + svc);
      // Started only once the dependency's healthcheck had passed (its last exec).
      List<Long> depExecs = fake.execTimes("-" + dep + "-");
      List<Long> own = fake.execTimes("-" + svc + "-");
      assertTrue(own.get(0) > depExecs.get(depExecs.size() - 1), svc + " probed before " + dep);
    }
  }

  @Test
  void aServiceNobodyWaitsOnHoldsItsProbesWhileOtherContainersStart() throws IOException {
    fake.service("slow").startTakes(ms(600));
    // leaf's own start takes a moment too, so slow's start has begun by the time leaf's ended:
    // both threads start at once, and leaf's first look could otherwise come before it.
    fake.service("leaf").healthcheck(ms(0)).startTakes(ms(150));
    // A timeout shorter than the other start: holding neither looks nor times out.
    Map<String, ServiceStatus> s = up(rig("400ms", ""));
    assertEquals(State.READY, s.get("leaf").state(), s.get("leaf").toString());
    assertEquals(State.READY, s.get("slow").state(), s.get("slow").toString());
    List<Long> execs = fake.execTimes("-leaf-");
    assertEquals(1, execs.size(), "one exec, after the starts: " + execs);
    assertTrue(execs.get(0) >= fake.startReturned("-slow-"), "leaf probed while slow started");
  }

  @Test
  void aServiceOthersWaitOnIsProbedWhileOtherContainersStart() throws IOException {
    fake.service("slow").startTakes(ms(800));
    fake.service("db").healthcheck(ms(0));
    fake.service("app").dependsOn("db", "service_healthy");
    Map<String, ServiceStatus> s = up(rig("10s", ""));
    assertEquals(State.READY, s.get("app").state(), s.get("app").toString());
    long slowStarted = fake.startReturned("-slow-");
    assertTrue(fake.execTimes("-db-").get(0) < slowStarted, "db held while slow started");
    assertTrue(fake.startReturned("-app-") < slowStarted, "app waited for slow's start");
  }

  @Test
  void theHealthEventMakesAServiceReadyBeforeItsNextPoll() throws IOException {
    fake.service("db").healthcheck(ms(100)).healthEvent();
    Map<String, ServiceStatus> s = up(rig("10s", ""));
    assertEquals(State.READY, s.get("db").state());
    assertEquals("health event", s.get("db").how());
  }

  @Test
  void aOneShotServiceExiting0IsDoneAndItsDependentStarts() throws IOException {
    fake.service("init").exitsAfter(ms(50), 0);
    fake.service("app").dependsOn("init", "service_completed_successfully");
    Map<String, ServiceStatus> s = up(rig("5s", ""));
    assertEquals(State.DONE, s.get("init").state());
    assertEquals("exited 0", s.get("init").how());
    assertEquals(State.READY, s.get("app").state());
    assertTrue(startedBefore("init", "app"), fake.calls().toString());
  }

  @Test
  void aOneShotServiceExiting1FailsAndItsDependentIsNotStarted() throws IOException {
    fake.service("migrate").exitsAfter(ms(50), 1).log("migration 7 failed");
    fake.service("app").dependsOn("migrate", "service_completed_successfully");
    StackFailedException e = failure(rig("5s", ""));
    Map<String, ServiceStatus> s = byService(e.services());
    assertEquals(State.FAILED, s.get("migrate").state());
    assertTrue(e.getMessage().startsWith("service 'migrate' exited with 1;"), e.getMessage());
    assertTrue(e.getMessage().contains("last log lines: migration 7 failed"), e.getMessage());
    assertEquals(State.SKIPPED, s.get("app").state());
    assertEquals("service 'app' not started: dependency 'migrate' failed", s.get("app").message());
    assertTrue(fake.calls().stream().noneMatch(c -> c.startsWith("start ") && c.contains("-app-")));
  }

  @Test
  void serviceStartedWaitsOnlyForTheStart() throws IOException {
    fake.service("db").healthcheck(ms(1000));
    fake.service("app").dependsOn("db", "service_started");
    Map<String, ServiceStatus> s = up(rig("5s", ""));
    assertEquals(State.READY, s.get("app").state());
    assertEquals("running", s.get("app").how());
    // app was ready long before db's healthcheck passed.
    assertTrue(s.get("app").elapsed().toMillis() < 800, s.get("app").toString());
    assertTrue(startedBefore("db", "app"), fake.calls().toString());
  }

  @Test
  void serviceHealthyWaitsForReadiness() throws IOException {
    fake.service("db").healthcheck(ms(300));
    fake.service("app").dependsOn("db", "service_healthy");
    long t0 = System.nanoTime();
    Map<String, ServiceStatus> s = up(rig("5s", ""));
    assertEquals(State.READY, s.get("db").state());
    assertEquals(State.READY, s.get("app").state());
    assertTrue(startedBefore("db", "app"), fake.calls().toString());
    assertTrue(System.nanoTime() - t0 >= ms(300).toNanos());
  }

  @Test
  void aServiceThatDiesDuringReadinessFailsWithItsExitCode() throws IOException {
    fake.service("api").healthcheck(null).exitsAfter(ms(200), 3).log("panic: no config");
    StackFailedException e = failure(rig("5s", ""));
    assertTrue(e.getMessage().startsWith("service 'api' exited with 3;"), e.getMessage());
    assertTrue(e.getMessage().contains("panic: no config"), e.getMessage());
  }

  @Test
  void anOomKilledServiceSaysSo() throws IOException {
    fake.service("api").healthcheck(null).exitsAfter(ms(50), 137).oomKilled();
    StackFailedException e = failure(rig("5s", ""));
    assertTrue(
        e.getMessage().startsWith("service 'api' exited with 137 (killed by the OOM killer)"),
        e.getMessage());
  }

  @Test
  void aPerServiceTimeoutOverridesTheStackTimeout() throws IOException {
    fake.service("slow").healthcheck(null);
    fake.service("other").healthcheck(null);
    long t0 = System.nanoTime();
    StackFailedException e = failure(rig("20s", "    slow: {timeout: 200ms}\n"));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    Map<String, ServiceStatus> s = byService(e.services());
    assertEquals(State.FAILED, s.get("slow").state());
    assertTrue(e.getMessage().startsWith("service 'slow' not ready within 200 ms"), e.getMessage());
    // The other service stops waiting as soon as one failed.
    assertEquals(State.SKIPPED, s.get("other").state());
    assertEquals(
        "service 'other' not started: another service failed first", s.get("other").message());
  }

  @Test
  void aStartErrorFailsTheService() throws IOException {
    fake.service("api").startFails("driver failed programming external connectivity");
    StackFailedException e = failure(rig("5s", ""));
    assertTrue(
        e.getMessage()
            .startsWith(
                "service 'api' could not start: driver failed programming external connectivity"),
        e.getMessage());
  }

  @Test
  void aMissingImageIsNamedWhenCreateFails() throws IOException {
    fake.service("db").image("postgres:99");
    fake.failCreate("Error response from daemon: pull access denied for postgres\n");
    StackFailedException e = failure(rig("5s", ""));
    assertEquals(
        "service 'db': image 'postgres:99' not found locally and could not be pulled (Error"
            + " response from daemon: pull access denied for postgres)",
        e.getMessage());
  }

  @Test
  void progressReportsWaitingStartingAndTheFinalState() throws IOException {
    fake.service("db");
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Stack stack =
        StackService.up(
            engine, rig("5s", ""), options().withProgress((s, st, d) -> seen.add(s + " " + st)))) {
      assertEquals(List.of("db WAITING", "db STARTING", "db READY"), seen);
      assertEquals(1, stack.services().size());
    }
  }

  @Test
  void theEventsSubscriptionDoesNotWaitForTheCreate() throws IOException {
    // The create finishes only once events are subscribed: a bring-up that subscribes after its
    // create (serially, as before issue 11) fails here.
    fake.createWaitsForEvents();
    fake.service("db");
    Map<String, ServiceStatus> s = up(rig("5s", ""));
    assertEquals(State.READY, s.get("db").state());
  }

  private boolean startedBefore(String first, String second) {
    List<String> calls = fake.calls();
    int a = -1;
    int b = -1;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith("start ") && calls.get(i).contains("-" + first + "-")) {
        a = i;
      }
      if (calls.get(i).startsWith("start ") && calls.get(i).contains("-" + second + "-")) {
        b = i;
      }
    }
    return a >= 0 && b > a;
  }
}

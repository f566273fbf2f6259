package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The depends_on gate alone: one future per compose condition, and why a service is skipped. */
class DependencyGateTest {
  private final DependencyGate gate = new DependencyGate(List.of("db", "init", "app"), 5);

  @Test
  void eachConditionWaitsForItsOwnFuture() {
    DependencyGate.Node db = gate.node("db");
    assertSame(db.started, DependencyGate.condition("service_started", db));
    assertSame(db.ready, DependencyGate.condition("service_healthy", db));
    assertSame(db.completed, DependencyGate.condition("service_completed_successfully", db));
    // Compose's default condition.
    assertSame(db.started, DependencyGate.condition("", db));
  }

  @Test
  void serviceStartedPassesOnceStartedEvenBeforeReady() throws Exception {
    gate.node("db").started.complete(null);
    assertNull(gate.await(Map.of("db", "service_started")));
  }

  @Test
  void serviceHealthyWaitsUntilReady() throws Exception {
    gate.node("db").started.complete(null);
    CompletableFuture<String> waiting = waitFor(Map.of("db", "service_healthy"));
    Thread.sleep(50);
    assertEquals(false, waiting.isDone());
    gate.ready("db", false);
    assertNull(waiting.get(2, TimeUnit.SECONDS));
  }

  @Test
  void serviceCompletedSuccessfullyNeedsTheOneShotDone() throws Exception {
    gate.ready("init", false);
    CompletableFuture<String> waiting = waitFor(Map.of("init", "service_completed_successfully"));
    Thread.sleep(50);
    assertEquals(false, waiting.isDone());
    gate.ready("init", true);
    assertNull(waiting.get(2, TimeUnit.SECONDS));
  }

  @Test
  void aFailedDependencyOrAnotherFailureSkips() throws Exception {
    gate.fail("db");
    assertEquals("dependency 'db' failed", gate.await(Map.of("db", "service_healthy")));
    DependencyGate other = new DependencyGate(List.of("db", "app"), 5);
    other.abort();
    assertEquals("another service failed first", other.await(Map.of("db", "service_started")));
    assertEquals("another service failed first", other.await(Map.of()));
  }

  @Test
  void aDependentWakesWhenItsDependencyIsReadyNotAtItsNextPoll() throws Exception {
    DependencyGate slowPoll = new DependencyGate(List.of("db", "app"), 60_000);
    CompletableFuture<String> waiting = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                waiting.complete(slowPoll.await(Map.of("db", "service_healthy")));
              } catch (InterruptedException e) {
                waiting.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
    Thread.sleep(50);
    slowPoll.ready("db", false);
    // Far less than the minute-long poll: woken by the dependency's own future.
    assertNull(waiting.get(5, TimeUnit.SECONDS));
    DependencyGate failing = new DependencyGate(List.of("db", "app"), 60_000);
    CompletableFuture<String> skipped =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return failing.await(Map.of("db", "service_healthy"));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(50);
    failing.fail("db");
    assertEquals("dependency 'db' failed", skipped.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aDependencyThatIsNotEnabledIsNotWaitedFor() throws Exception {
    assertNull(gate.await(Map.of("disabled-by-profile", "service_healthy")));
  }

  private CompletableFuture<String> waitFor(Map<String, String> deps) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(gate.await(deps));
              } catch (InterruptedException e) {
                f.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
    return f;
  }
}

package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.Backend;
import io.testrig.backend.ContainerEvent;
import io.testrig.backend.Subscription;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventWatchTest {
  /** A backend whose only working verb is events: the test feeds them through {@code sink}. */
  private final AtomicReference<Consumer<ContainerEvent>> sink = new AtomicReference<>();

  @SuppressWarnings("unchecked")
  private EventWatch watch() {
    Subscription sub =
        new Subscription() {
          @Override
          public boolean await(Duration max) {
            return true;
          }

          @Override
          public void close() {}
        };
    Backend backend =
        (Backend)
            Proxy.newProxyInstance(
                Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("events")) {
                    sink.set((Consumer<ContainerEvent>) args[2]);
                    return sub;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return new EventWatch(backend, "p");
  }

  @Test
  void aServiceWakesOnItsOwnContainersEventsOnly() throws Exception {
    EventWatch w = watch();
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(
            () -> {
              try {
                w.await(List.of("mine"), 60_000);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    // Another service's events: the waiter keeps sleeping (and so sends no probe).
    for (int i = 0; i < 5; i++) {
      sink.get().accept(new ContainerEvent("other", "health_status: healthy", Map.of()));
    }
    sink.get().accept(new ContainerEvent("mine", "exec_start: test -f /tmp/ready", Map.of()));
    // Time for a waiter that woke on those to return (a global wake-up did): not a timing claim.
    Thread.sleep(300);
    assertFalse(waiting.isDone(), "woken by an event that is not its own or not a state change");
    sink.get().accept(new ContainerEvent("mine", "health_status: healthy", Map.of()));
    waiting.get(30, TimeUnit.SECONDS);
    assertTrue(w.healthy("mine"));
    assertFalse(w.healthy("nobody"));
  }

  @Test
  void anAwaitWithoutEventsReturnsAfterItsPause() throws Exception {
    EventWatch w = watch();
    w.await(List.of("mine"), 1);
    w.await(List.of(), 1);
  }
}

package io.testrig.compose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The depends_on gate of a bring-up: one {@link Node} per enabled service whose futures complete as
 * it starts, becomes ready and completes, and one small function per compose condition
 * (https://docs.docker.com/reference/compose-file/services/#depends_on) naming the future a
 * dependent waits for, as compose's own {@code waitDependencies} splits into {@code
 * checkDependencyHealthy} and {@code checkDependencyCompleted}. A failed service fails all three of
 * its futures, and sets the shared abort flag.
 */
final class DependencyGate {
  /** What a service has reached so far. */
  static final class Node {
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
  }

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final AtomicBoolean abort = new AtomicBoolean();
  private final long pollMillis;

  /**
   * {@code pollMillis}: how long one wait on a dependency's future lasts before the abort flag is
   * looked at again; the future itself wakes the waiter as soon as it completes.
   */
  DependencyGate(List<String> enabled, long pollMillis) {
    enabled.forEach(s -> nodes.put(s, new Node()));
    this.pollMillis = pollMillis;
  }

  Node node(String service) {
    return nodes.get(service);
  }

  boolean aborted() {
    return abort.get();
  }

  void abort() {
    abort.set(true);
  }

  /** {@code service_started}: the dependency's containers were started. */
  static CompletableFuture<Void> serviceStarted(Node dependency) {
    return dependency.started;
  }

  /** {@code service_healthy}: the dependency is ready by testrig's own readiness check. */
  static CompletableFuture<Void> serviceHealthy(Node dependency) {
    return dependency.ready;
  }

  /** {@code service_completed_successfully}: the dependency (one-shot) exited 0. */
  static CompletableFuture<Void> serviceCompletedSuccessfully(Node dependency) {
    return dependency.completed;
  }

  /** The future for a depends_on condition; compose's default is {@code service_started}. */
  static CompletableFuture<Void> condition(String condition, Node dependency) {
    return switch (condition) {
      case "service_healthy" -> serviceHealthy(dependency);
      case "service_completed_successfully" -> serviceCompletedSuccessfully(dependency);
      default -> serviceStarted(dependency);
    };
  }

  /**
   * Waits until each enabled dependency meets its condition; null when all did, else why the
   * service is not started (a dependency failed, or another service failed first).
   */
  String await(Map<String, String> dependsOn) throws InterruptedException {
    for (Map.Entry<String, String> dep : dependsOn.entrySet()) {
      Node d = nodes.get(dep.getKey());
      if (d == null) {
        continue; // not enabled: compose's up would have refused a required one
      }
      CompletableFuture<Void> f = condition(dep.getValue(), d);
      try {
        while (!done(f)) {
          if (abort.get()) {
            return "another service failed first";
          }
        }
      } catch (ExecutionException e) {
        return "dependency '" + dep.getKey() + "' failed";
      }
    }
    return abort.get() ? "another service failed first" : null;
  }

  /** Waits up to one poll for {@code f}: true once it completed normally. */
  private boolean done(CompletableFuture<Void> f) throws InterruptedException, ExecutionException {
    try {
      f.get(pollMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  /** The service failed or was skipped: its dependents stop waiting, and everyone aborts. */
  void fail(String service) {
    abort.set(true);
    Node n = nodes.get(service);
    RuntimeException why = new RuntimeException(service);
    n.started.completeExceptionally(why);
    n.ready.completeExceptionally(why);
    n.completed.completeExceptionally(why);
  }

  /** All containers ready; {@code done} (a one-shot that exited 0) also completes the service. */
  void ready(String service, boolean done) {
    Node node = nodes.get(service);
    node.ready.complete(null);
    if (done) {
      node.completed.complete(null);
    }
  }
}

package io.testrig.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One piece of work on a daemon thread of its own while the caller does something else (issue 11:
 * parallel preflight, e.g. the engine connection while certs are issued or the rig file is read).
 * Not the common ForkJoinPool: it has one worker on 2 cores, which certs issuance already uses, and
 * a connection may wait for the engine for seconds.
 */
public final class Background {
  private Background() {}

  /** Starts {@code work} on a new daemon thread named {@code name}. */
  public static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(work.get());
              } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** The work's result, or its own failure rethrown as it was thrown (not wrapped). */
  public static <T> T join(CompletableFuture<T> work) {
    try {
      return work.join();
    } catch (CompletionException e) {
      throw unwrapped(e.getCause(), e);
    }
  }

  /** As {@link #join}, but the wait ends when the calling thread is interrupted. */
  public static <T> T await(CompletableFuture<T> work) throws InterruptedException {
    try {
      return work.get();
    } catch (ExecutionException e) {
      throw unwrapped(e.getCause(), new IllegalStateException(e.getCause()));
    }
  }

  /** The work's own unchecked failure, or {@code otherwise} for a checked one. */
  private static RuntimeException unwrapped(Throwable cause, RuntimeException otherwise) {
    if (cause instanceof RuntimeException re) {
      return re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return otherwise;
  }
}

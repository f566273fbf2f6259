package io.testrig.backend.docker;

import io.testrig.backend.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request whose response is read in a thread of its own, on its own connection: the streams
 * (events, logs, exec output, pull progress) and the long waits (container wait). {@link #await}
 * waits for the end and rethrows the request's error (a {@code BackendException} for an engine
 * error, an {@link UncheckedIOException} for a broken connection); {@link #close} cancels by
 * closing the connection, after which errors are ignored, as the caller asked for the end.
 */
final class EngineStream implements Subscription {
  /** Reads a successful response's body; runs in the stream's thread. */
  interface Reader {
    void read(EngineResponse response) throws IOException;
  }

  private final CountDownLatch done = new CountDownLatch(1);
  private EngineHttp.Connection connection; // guarded by this
  private volatile boolean closed;
  private volatile RuntimeException error;

  private EngineStream() {}

  static EngineStream start(
      EngineHttp http, String method, String path, EngineHttp.Body body, Reader reader) {
    EngineStream s = new EngineStream();
    Thread t =
        new Thread(() -> s.run(http, method, path, body, reader), "testrig-engine " + method);
    t.setDaemon(true);
    t.start();
    return s;
  }

  private void run(
      EngineHttp http, String method, String path, EngineHttp.Body body, Reader reader) {
    try {
      EngineHttp.Connection c = http.open();
      if (!attach(c)) {
        return;
      }
      try (EngineResponse r = http.exchange(c, method, path, body).check()) {
        reader.read(r);
      }
    } catch (IOException e) {
      fail(new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e));
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      done.countDown();
    }
  }

  /** Keeps the connection to close it on cancel; false (and closed) when cancelled already. */
  private synchronized boolean attach(EngineHttp.Connection c) {
    if (closed) {
      c.close();
      return false;
    }
    connection = c;
    return true;
  }

  private void fail(RuntimeException e) {
    if (!closed) {
      error = e;
    }
  }

  @Override
  public boolean await(Duration max) throws InterruptedException {
    boolean ended = done.await(max.toNanos(), TimeUnit.NANOSECONDS) || closed;
    RuntimeException e = error;
    if (e != null && !closed) {
      throw e;
    }
    return ended;
  }

  @Override
  public void close() {
    EngineHttp.Connection c;
    synchronized (this) {
      closed = true;
      c = connection;
    }
    if (c != null) {
      c.close();
    }
  }
}

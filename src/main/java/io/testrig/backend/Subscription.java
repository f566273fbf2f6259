package io.testrig.backend;

import java.time.Duration;

/** A running stream (logs, events). Close it when done; closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  /** Waits until the stream ended by itself; false when {@code max} passed first. */
  boolean await(Duration max) throws InterruptedException;

  @Override
  void close();
}

package io.testrig.core;

import java.time.Duration;

/** Durations as people read them in messages and progress lines. */
public final class Durations {
  private Durations() {}

  /** Rounded, for elapsed times: {@code 850 ms}, {@code 3 s}, {@code 2 min}. */
  public static String approx(Duration d) {
    if (d.toMillis() < 1_000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 120) {
      return d.toSeconds() + " s";
    }
    return d.toMinutes() + " min";
  }

  /** Exact, for configured limits: {@code 3 s}, {@code 1500 ms}. */
  public static String exact(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}

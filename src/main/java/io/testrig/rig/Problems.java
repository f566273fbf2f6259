package io.testrig.rig;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every {@link Problem} a validation pass finds, so all of them are reported at once
 * (issue 9, item 5) instead of only the first.
 */
public final class Problems {
  private final List<Problem> list = new ArrayList<>();

  public void add(String key, String message) {
    list.add(new Problem(key, message));
  }

  /**
   * Adds a problem unless {@code ok}; returns {@code ok}, so a rule can skip what depends on it.
   */
  public boolean require(boolean ok, String key, String message) {
    if (!ok) {
      add(key, message);
    }
    return ok;
  }

  /** Whether a problem was found at {@code key} or below it. */
  public boolean hasAt(String key) {
    return list.stream()
        .anyMatch(
            p ->
                p.key().equals(key)
                    || p.key().startsWith(key + ".")
                    || p.key().startsWith(key + "["));
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<Problem> list() {
    return List.copyOf(list);
  }
}

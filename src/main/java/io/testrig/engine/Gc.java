package io.testrig.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code testrig gc}: removes testrig-labelled containers, networks and volumes whose run is gone
 * (its owner process no longer exists on this host), whose run is older than a given age, or, in a
 * CI job's {@code after_script}, that the same job started. Idempotent: a second call finds
 * nothing. Resources without testrig's {@link Labels#RUN_ID} label are never touched.
 */
public final class Gc {
  private Gc() {}

  /**
   * Collects garbage.
   *
   * @param olderThan also remove runs started at least this long ago; null: only runs whose owner
   *     is gone
   * @param ciJob also remove runs labelled with this CI job id (null: none)
   */
  public static Reaper.Removed collect(Engine engine, Duration olderThan, String ciJob) {
    Instant now = Instant.now();
    Predicate<Map<String, String>> garbage =
        labels -> {
          if (labels == null) {
            return false;
          }
          if (ciJob != null && ciJob.equals(labels.get(Labels.CI_JOB))) {
            return true;
          }
          Instant started = Labels.started(labels);
          if (olderThan != null && (started == null || !started.plus(olderThan).isAfter(now))) {
            return true;
          }
          return Labels.ownerGone(labels.get(Labels.OWNER));
        };
    return Reaper.remove(engine.backend(), Labels.RUN_ID, null, garbage, false);
  }

  /** Only runs whose owner is gone or older than {@code olderThan}. */
  public static Reaper.Removed collect(Engine engine, Duration olderThan) {
    return collect(engine, olderThan, null);
  }
}

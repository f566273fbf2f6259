package io.testrig.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
    return collect(engine, new Scope(olderThan, ciJob, l -> true, false), Instant.now());
  }

  /**
   * What gc looks at and whether it removes anything.
   *
   * @param olderThan also remove runs started at least this long ago (null: only gone owners)
   * @param ciJob also remove runs labelled with this CI job id (null: none)
   * @param only only resources whose labels pass ({@code gc --project}, {@code gc --rig})
   * @param dryRun list what would be removed, remove nothing
   */
  public record Scope(
      Duration olderThan, String ciJob, Predicate<Map<String, String>> only, boolean dryRun) {}

  /**
   * Collects garbage within {@code scope} at {@code now}. A stack with an unexpired {@link
   * KeepMarker} in its run directory ({@code up --ttl}, {@code run --keep}) is garbage only for
   * {@code --this-job}: neither a gone owner nor {@code --older-than} removes it before it expires.
   */
  public static Reaper.Removed collect(Engine engine, Scope scope, Instant now) {
    Map<String, Optional<KeepMarker>> markers = new HashMap<>();
    Predicate<Map<String, String>> garbage =
        labels -> {
          if (labels == null || !scope.only().test(labels)) {
            return false;
          }
          if (scope.ciJob() != null && scope.ciJob().equals(labels.get(Labels.CI_JOB))) {
            return true;
          }
          Optional<KeepMarker> keep = keepMarker(labels, markers);
          if (keep.isPresent()) {
            return keep.get().expired(now);
          }
          Instant started = Labels.started(labels);
          if (scope.olderThan() != null
              && (started == null || !started.plus(scope.olderThan()).isAfter(now))) {
            return true;
          }
          return Labels.ownerGone(labels.get(Labels.OWNER));
        };
    return Reaper.remove(engine.backend(), Labels.RUN_ID, null, garbage, false, scope.dryRun());
  }

  /** The keep marker of the stack these labels belong to, read once per gc. */
  private static Optional<KeepMarker> keepMarker(
      Map<String, String> labels, Map<String, Optional<KeepMarker>> cache) {
    String dir = labels.get(Labels.RUN_DIR);
    String project = labels.get(Labels.COMPOSE_PROJECT);
    if (project == null && labels.get(Labels.RUN_ID) != null) {
      // A suite container started outside compose carries the run id only.
      project = Labels.PROJECT_PREFIX + labels.get(Labels.RUN_ID);
    }
    if (dir == null || project == null) {
      return Optional.empty();
    }
    String p = project;
    return cache.computeIfAbsent(dir + "|" + p, k -> KeepMarker.read(Path.of(dir), p));
  }

  /** Only runs whose owner is gone or older than {@code olderThan}. */
  public static Reaper.Removed collect(Engine engine, Duration olderThan) {
    return collect(engine, olderThan, null);
  }
}

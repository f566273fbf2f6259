package io.testrig.run;

import io.testrig.compose.StackService;
import io.testrig.engine.Engine;
import io.testrig.engine.Gc;
import io.testrig.engine.Reaper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code testrig gc}: removes the resources of runs that are gone, wipes their run directories and
 * the labels override directories of stacks brought up without one.
 */
public final class GcService {
  /**
   * What gc did.
   *
   * @param containers removed containers (also networks, volumes); kept: what could not be removed
   * @param wipedDirs run directories (secrets) of runs killed without their cleanup (SIGKILL)
   * @param overrides labels override directories of stacks brought up without a run directory
   *     (issue 7, item 8)
   */
  public record Collected(
      List<String> containers,
      List<String> networks,
      List<String> volumes,
      List<String> kept,
      List<Path> wipedDirs,
      List<String> keptDirs,
      List<Path> overrides) {}

  private GcService() {}

  /** Collects with the engine from {@code connect}; {@code ciJob} also collects that CI job. */
  public static Collected collect(Supplier<Engine> connect, Duration olderThan, String ciJob) {
    return collect(connect, olderThan, ciJob, List.of(), List.of(), false);
  }

  /**
   * As {@link #collect(Supplier, Duration, String)}, only for the stacks of {@code projects} and
   * {@code rigs} when either is non-empty ({@code gc --project}, {@code --rig}); with {@code
   * dryRun} nothing is removed or wiped and the result names what would be. Stacks kept until a
   * time-to-live ({@code up}, {@code run --keep}) stay until it passed (issue 12, item 1).
   */
  public static Collected collect(
      Supplier<Engine> connect,
      Duration olderThan,
      String ciJob,
      List<String> projects,
      List<Path> rigs,
      boolean dryRun) {
    GcScope scope = GcScope.of(projects, rigs);
    Instant now = Instant.now();
    try (Engine engine = connect.get()) {
      Reaper.Removed r =
          Gc.collect(engine, new Gc.Scope(olderThan, ciJob, scope.labels(), dryRun), now);
      Orphans.Swept swept = Orphans.sweep(scope.runDirs(), dryRun, now);
      // Override directories name no project or rig: a scoped or dry gc leaves them.
      List<Path> overrides =
          dryRun || !scope.all() ? List.of() : StackService.sweepLabelOverrides();
      return new Collected(
          r.containers(),
          r.networks(),
          r.volumes(),
          r.kept(),
          swept.wiped(),
          swept.kept(),
          overrides);
    }
  }
}

package io.testrig.run;

import io.testrig.compose.StackService;
import io.testrig.engine.Engine;
import io.testrig.engine.Gc;
import io.testrig.engine.Reaper;
import java.nio.file.Path;
import java.time.Duration;
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
    try (Engine engine = connect.get()) {
      Reaper.Removed r = Gc.collect(engine, olderThan, ciJob);
      Orphans.Swept swept = Orphans.sweep();
      List<Path> overrides = StackService.sweepLabelOverrides();
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

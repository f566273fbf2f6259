package io.testrig.cli;

import io.testrig.run.GcService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Remove testrig-labelled containers, networks and volumes whose run is gone: its owner"
          + " process no longer exists on this host, it is older than --older-than, or (with"
          + " --this-job) it belongs to the current CI job; and wipe the run directories"
          + " (secrets) of runs whose process is gone, and orphaned testrig-compose-* temp"
          + " directories. Idempotent.",
      "A stack `up` started (or `run --keep` kept) stays until its time-to-live has passed;"
          + " --project and --rig limit gc to those stacks, --dry-run only lists."
    })
final class GcCommand implements Callable<Integer> {
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;

  @Option(
      names = "--older-than",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Also remove runs started at least this long ago (e.g. 1h).")
  Duration olderThan;

  @Option(
      names = "--this-job",
      description =
          "Also remove runs of the current CI job (CI_JOB_ID); for a CI template's after_script.")
  boolean thisJob;

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "Only this compose project (repeatable).")
  List<String> projects = new ArrayList<>();

  @Option(
      names = "--rig",
      paramLabel = "FILE",
      description = "Only stacks and run directories of this rig file (repeatable).")
  List<Path> rigs = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description = "Print what would be removed and wiped; remove nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String job = thisJob ? System.getenv("CI_JOB_ID") : null;
    String removed = dryRun ? "would remove " : "removed ";
    GcService.Collected r =
        GcService.collect(engineOptions::connect, olderThan, job, projects, rigs, dryRun);
    r.containers().forEach(n -> out.println(removed + "container " + n));
    r.networks().forEach(n -> out.println(removed + "network " + n));
    r.volumes().forEach(n -> out.println(removed + "volume " + n));
    r.kept().forEach(n -> out.println("kept " + n));
    r.wipedDirs()
        .forEach(d -> out.println((dryRun ? "would wipe" : "wiped") + " run directory " + d));
    r.keptDirs().forEach(d -> out.println("kept run directory " + d));
    r.overrides().forEach(d -> out.println("removed compose override directory " + d));
    out.printf(
        "gc: %s%d containers, %d networks, %d volumes%n",
        removed, r.containers().size(), r.networks().size(), r.volumes().size());
    return 0;
  }
}

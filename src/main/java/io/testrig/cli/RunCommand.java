package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.run.Cleanup;
import io.testrig.run.Output;
import io.testrig.run.RunService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Issue certs, render templates, bring the stack up, run the suites, write one JUnit XML,"
          + " tear down and wipe the secrets; for every matrix config (or --only one).",
      "Exit 0 when every testcase passed, 1 when one failed, 4 when a stack did not come up."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Mixin ArtifactOptions artifacts;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "JUnit XML to write (default: <artifacts>/junit.xml).")
  Path report;

  @Option(
      names = "--only",
      paramLabel = "CONFIG",
      description = "Run one matrix config, by name (pg=16,ssl=true) or slug (16-true).")
  String only;

  @Option(
      names = "--parallel",
      defaultValue = "2",
      paramLabel = "N",
      description = "Matrix configs run at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description = "Compose project name (default: testrig-<id> from CI_JOB_ID or random).")
  String project;

  @Option(
      names = "--keep",
      paramLabel = "on-failure|always",
      description =
          "Leave the stack and its run directory up after the run (always, or when the config"
              + " failed) for `testrig exec`, `logs` and `info`, until `testrig down` or --ttl.")
  String keep;

  @Option(
      names = "--ttl",
      defaultValue = "4h",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "With --keep: how long `testrig gc` leaves a kept stack alone (default: 4h).")
  Duration ttl;

  @Override
  public Integer call() {
    Rig r = rig.loadValidated();
    RunService.Options opts =
        new RunService.Options(
            artifacts.dir,
            report,
            only,
            parallel,
            project,
            rig.runDir,
            rig.config,
            rig.set,
            keep == null ? null : RunService.KeepPolicy.parse(keep),
            ttl,
            null,
            null);
    Cleanup cleanup = new Cleanup();
    cleanup.installShutdownHook(spec.commandLine().getErr());
    Output out = Consoles.output(spec);
    RunService.Outcome outcome =
        new RunService(r, opts, root.redactor, out, cleanup, System.getenv())
            .run(engineOptions::connect);
    return outcome.exitCode().code();
  }
}

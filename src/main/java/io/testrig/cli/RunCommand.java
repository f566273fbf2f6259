package io.testrig.cli;

import io.testrig.rig.Rig;
import io.testrig.run.Cleanup;
import io.testrig.run.Output;
import io.testrig.run.RunService;
import io.testrig.validate.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
    Map<String, String> env = System.getenv();
    RunService.FirstConfig[] first = new RunService.FirstConfig[1];
    Rig r = rig.loadValidated(x -> composeAs(x, env, first));
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
        new RunService(r, opts, root.redactor, out, cleanup, env, first[0])
            .run(engineOptions::connect);
    return outcome.exitCode().code();
  }

  /**
   * The validation pass asks compose as the first config's bring-up will, which then reuses the
   * answer (issue 11); {@code first[0]} keeps that config's plan.
   */
  private Validation.ComposeAs composeAs(
      Rig r, Map<String, String> env, RunService.FirstConfig[] first) {
    first[0] = RunService.firstConfig(r, only, project, rig.runDir, rig.set, env);
    return first[0] == null
        ? new Validation.ComposeAs(null, null)
        : new Validation.ComposeAs(first[0].project(), first[0].values(), first[0].runDir());
  }
}

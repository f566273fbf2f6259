package io.testrig.cli;

import io.testrig.dev.StackTarget;
import io.testrig.rig.Rig;
import io.testrig.run.Cleanup;
import io.testrig.run.Output;
import io.testrig.run.RunService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Run the rig's suites (or --suite ones) against the stack that is up (`testrig up`, or a"
          + " stack kept by `run --keep`) and write the same JUnit XML as `run`.",
      "Nothing is rendered, brought up, torn down or wiped. Exit codes as for `run`."
    })
final class TestCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin StackSelect select;
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
      names = "--suite",
      paramLabel = "NAME",
      description = "Run only this suite (repeatable; default: every suite).")
  List<String> suites = new ArrayList<>();

  @Option(
      names = "--only",
      paramLabel = "CONFIG",
      description =
          "The matrix config the stack is (a stack `run --keep --only CONFIG` kept): names the"
              + " results as `run --only` does.")
  String only;

  @Override
  public Integer call() {
    Rig r = rig.load();
    StackTarget t = StackTarget.resolve(r, rig.runDir, select.project);
    RunService.Options opts =
        new RunService.Options(
            artifacts.dir,
            report,
            only,
            1,
            t.project(),
            t.dir().path(),
            rig.config,
            rig.set,
            null,
            null,
            suites,
            new RunService.Attached(t.project(), t.dir().path()));
    Cleanup cleanup = new Cleanup();
    cleanup.installShutdownHook(spec.commandLine().getErr());
    Output out =
        Output.forEnvironment(
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            System::getenv,
            System.console() != null);
    return new RunService(r, opts, root.redactor, out, cleanup, System.getenv())
        .run(engineOptions::connect)
        .exitCode()
        .code();
  }
}

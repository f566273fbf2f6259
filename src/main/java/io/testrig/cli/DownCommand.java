package io.testrig.cli;

import io.testrig.compose.StackService;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.engine.Reaper;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import java.io.PrintWriter;
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
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Save the stack's logs, kill and remove its containers, networks and volumes, and wipe"
          + " the run directory with its secrets.",
      "Without -p: every testrig stack brought up from the rig file."
    })
final class DownCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = {"-p", "--project"},
      paramLabel = "NAME",
      description = "Compose project to remove (repeatable).")
  List<String> projects = new ArrayList<>();

  @Mixin ArtifactOptions artifacts;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Engine engine = engineOptions.connect()) {
      List<String> targets = projects;
      Rig rigModel = projects.isEmpty() || java.nio.file.Files.exists(rig.file) ? rig.load() : null;
      if (targets.isEmpty()) {
        Path file = rigModel.file();
        targets = StackService.projectsOf(engine, file);
        if (targets.isEmpty()) {
          out.println("no testrig stack of " + file + " is running");
          wipe(rigModel, out);
          return 0;
        }
      }
      List<String> logProblems = new ArrayList<>();
      for (String p : targets) {
        StackService.Down d = StackService.down(engine, p, artifacts.dir, root.redactor);
        Reaper.Removed r = d.removed();
        out.printf(
            "%s: removed %d containers, %d networks, %d volumes%n",
            p, r.containers().size(), r.networks().size(), r.volumes().size());
        if (!r.kept().isEmpty()) {
          throw new TestrigException(
              io.testrig.core.ExitCode.STACK_FAILED,
              p + ": could not remove " + String.join("; ", r.kept()));
        }
        if (d.logsProblem() != null) {
          logProblems.add(p + ": " + d.logsProblem());
        }
      }
      wipe(rigModel, out);
      if (!logProblems.isEmpty()) {
        // Everything is removed; a log that could not be saved is still an error (exit 5).
        throw TestrigException.io(String.join("; ", logProblems), null);
      }
    }
    return 0;
  }

  /** The secrets go with the stack: the run directory `up` used for this rig file. */
  private void wipe(Rig r, PrintWriter out) {
    if (r == null) {
      return;
    }
    RunDir dir = RunDir.locate(r, rig.runDir, null);
    if (dir.exists()) {
      dir.wipe();
      out.println("wiped " + dir.path());
    }
  }
}

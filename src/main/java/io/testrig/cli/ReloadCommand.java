package io.testrig.cli;

import io.testrig.dev.DevService;
import io.testrig.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description = {
      "Re-render a running stack's templates (same secrets, same certificates) and, for each"
          + " service that mounts a file that changed, do what stack.services.<name>.reload says:"
          + " send that signal (e.g. SIGHUP) or restart.",
      "Prints the changed paths, never a value. Works with a persistent --config."
    })
final class ReloadCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Mixin StackSelect select;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Override
  public Integer call() {
    DevService dev = select.service(rig, root.redactor);
    try (Engine engine = engineOptions.connect()) {
      dev.reload(engine, rig.set, System.getenv(), spec.commandLine().getOut());
    }
    return 0;
  }
}

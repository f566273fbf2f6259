package io.testrig.cli;

import io.testrig.dev.DevService;
import io.testrig.engine.Engine;
import io.testrig.rig.RigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print the logs of a running stack's services (all when none is named), with"
          + " `docker compose logs`; secrets are masked.",
      "Here -f is --follow, as for docker: the rig file is --file."
    })
final class LogsCommand implements Callable<Integer> {
  @Option(
      names = "--file",
      defaultValue = "testrig.yml",
      paramLabel = "FILE",
      description = "Rig file (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "The stack's run directory.")
  Path runDir;

  @Option(names = "--config", paramLabel = "PATH", description = "A persistent config.json.")
  Path config;

  @Mixin StackSelect select;
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until interrupted.")
  boolean follow;

  @Option(
      names = {"-t", "--timestamps"},
      description = "Show the engine's timestamps.")
  boolean timestamps;

  @Parameters(paramLabel = "SERVICE", description = "Services (default: all).")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    DevService dev =
        new DevService(new RigLoader().load(file), runDir, config, select.project, root.redactor);
    try (Engine engine = engineOptions.connect()) {
      return dev.logs(
          engine,
          services,
          follow,
          timestamps,
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}

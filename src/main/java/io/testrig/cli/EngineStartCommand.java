package io.testrig.cli;

import io.testrig.run.EngineService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start the bundled dockerd when no engine answers at DOCKER_HOST (a local socket), for CI"
          + " executors that run no entrypoint (Kubernetes). Needs a privileged job container."
    })
final class EngineStartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dockerd",
      defaultValue = "dockerd",
      paramLabel = "PATH",
      description = "The daemon binary (default: ${DEFAULT-VALUE}).")
  String dockerd;

  @Option(
      names = "--log",
      defaultValue = "/var/log/testrig-dockerd.log",
      paramLabel = "FILE",
      description = "The daemon's log (default: ${DEFAULT-VALUE}).")
  Path log;

  @Option(
      names = "--wait",
      defaultValue = "60s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Wait this long for the daemon to answer (default: ${DEFAULT-VALUE}).")
  Duration wait;

  @Parameters(paramLabel = "DOCKERD_ARG", description = "Extra dockerd arguments (after --).")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    EngineService.Started s = EngineService.start(System.getenv(), dockerd, args, log, wait);
    out.println(
        (s.started() ? "started dockerd; " : "already running; ")
            + "Docker "
            + s.serverVersion()
            + " answers at "
            + s.host());
    return 0;
  }
}

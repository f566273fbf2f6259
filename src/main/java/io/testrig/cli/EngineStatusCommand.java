package io.testrig.cli;

import io.testrig.compose.StackService;
import io.testrig.engine.Engine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the engine at DOCKER_HOST: version, pinned API version, compose version.")
final class EngineStatusCommand implements Callable<Integer> {
  @Mixin EngineOptions engineOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Engine engine = engineOptions.connect()) {
      out.println("host:    " + engine.host());
      out.println(
          "server:  Docker "
              + engine.version().version()
              + " (API "
              + engine.version().apiVersion()
              + ")");
      out.println(
          "api:     "
              + engine.apiVersion()
              + " pinned (tested up to "
              + Engine.TESTED_API
              + ", minimum "
              + Engine.MINIMUM_API
              + ")");
      out.println("compose: " + StackService.composeVersion(engine));
    }
    return 0;
  }
}

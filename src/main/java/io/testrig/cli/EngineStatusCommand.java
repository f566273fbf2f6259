package io.testrig.cli;

import io.testrig.run.EngineService;
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
    EngineService.Status s = EngineService.status(engineOptions::connect);
    out.println("host:    " + s.host());
    out.println("server:  Docker " + s.serverVersion() + " (API " + s.serverApi() + ")");
    out.println(
        "api:     "
            + s.pinnedApi()
            + " pinned (tested up to "
            + s.testedApi()
            + ", minimum "
            + s.minimumApi()
            + ")");
    out.println("compose: " + s.composeVersion());
    return 0;
  }
}

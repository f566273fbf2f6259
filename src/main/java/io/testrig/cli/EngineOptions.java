package io.testrig.cli;

import io.testrig.core.Exec;
import io.testrig.engine.Engine;
import io.testrig.engine.EngineStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How to reach the Docker engine (DinD: the daemon may still be starting). */
final class EngineOptions {
  @Option(
      names = "--engine-wait",
      defaultValue = "60s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Wait this long for the engine at DOCKER_HOST to answer (default: 60s).")
  Duration engineWait;

  @Option(
      names = "--start-engine",
      defaultValue = "auto",
      paramLabel = "auto|never",
      description =
          "auto (default): when DOCKER_HOST is unset, no daemon socket exists and dockerd is"
              + " installed (the builder image on a Kubernetes executor, which runs no"
              + " entrypoint), start dockerd as `testrig engine start` does. never: only connect.")
  StartMode startEngine;

  enum StartMode {
    auto,
    never
  }

  Engine connect() {
    Map<String, String> env = System.getenv();
    String host = env.get("DOCKER_HOST");
    boolean noDaemon =
        (host == null || host.isBlank())
            && !Files.exists(Path.of(Engine.DEFAULT_HOST.substring("unix://".length())));
    if (startEngine == StartMode.auto && noDaemon && Exec.findOnPath("dockerd") != null) {
      return EngineStarter.start(
              env, "dockerd", List.of(), Path.of("/var/log/testrig-dockerd.log"), engineWait)
          .engine();
    }
    return Engine.connect(engineWait);
  }
}

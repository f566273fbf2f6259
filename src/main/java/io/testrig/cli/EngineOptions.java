package io.testrig.cli;

import io.testrig.engine.Engine;
import io.testrig.engine.EngineStartPolicy;
import java.time.Duration;
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
  EngineStartPolicy.Mode startEngine;

  Engine connect() {
    return EngineStartPolicy.connect(startEngine, engineWait, System.getenv());
  }
}

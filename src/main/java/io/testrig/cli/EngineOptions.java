package io.testrig.cli;

import io.testrig.engine.Engine;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How long to wait for the Docker engine (DinD: the daemon may still be starting). */
final class EngineOptions {
  @Option(
      names = "--engine-wait",
      defaultValue = "60s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Wait this long for the engine at DOCKER_HOST to answer (default: 60s).")
  Duration engineWait;

  Engine connect() {
    return Engine.connect(engineWait);
  }
}

package io.testrig.run;

import io.testrig.compose.StackService;
import io.testrig.engine.Engine;
import io.testrig.engine.EngineStarter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code testrig engine status} and {@code engine start}: what answers at DOCKER_HOST. */
public final class EngineService {
  /**
   * The engine as {@code engine status} shows it.
   *
   * @param pinnedApi the API version every request uses: min(server, tested)
   */
  public record Status(
      String host,
      String serverVersion,
      String serverApi,
      String pinnedApi,
      String testedApi,
      String minimumApi,
      String composeVersion) {}

  /** Whether {@code engine start} started dockerd, and the engine that now answers. */
  public record Started(boolean started, String serverVersion, String host) {}

  private EngineService() {}

  public static Status status(Supplier<Engine> connect) {
    try (Engine engine = connect.get()) {
      return new Status(
          engine.host(),
          engine.version().version(),
          engine.version().apiVersion(),
          engine.apiVersion(),
          Engine.TESTED_API,
          Engine.MINIMUM_API,
          StackService.composeVersion(engine));
    }
  }

  /**
   * Starts {@code dockerd} (with {@code args}, logging to {@code log}) unless an engine answers.
   */
  public static Started start(
      Map<String, String> env, String dockerd, List<String> args, Path log, Duration wait) {
    EngineStarter.Started s = EngineStarter.start(env, dockerd, args, log, wait);
    try (Engine engine = s.engine()) {
      return new Started(s.started(), engine.version().version(), engine.host());
    }
  }
}

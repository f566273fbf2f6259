package io.testrig.backend.docker;

import io.testrig.backend.BackendException;
import java.time.Duration;

/**
 * {@code POST /images/create?fromImage=}: pulls an image; the response streams one JSON progress
 * message per step and reports a failure in-band as {@code {"error": ...}} after a 200
 * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ImageCreate).
 */
final class Pulls {
  private Pulls() {}

  /** False when it did not finish within {@code max} (the pull is then cancelled). */
  static boolean pull(EngineHttp http, String image, Duration max) throws InterruptedException {
    try (EngineStream s =
        EngineStream.start(
            http,
            "POST",
            "/images/create?" + query(image),
            EngineHttp.Body.NONE,
            r ->
                EngineJson.readEach(
                    r.body,
                    m -> {
                      String error = EngineJson.text(m, "error");
                      if (error != null) {
                        throw new BackendException(error.strip(), null);
                      }
                    }))) {
      return s.await(max);
    }
  }

  /**
   * {@code fromImage} and {@code tag}: without a tag the engine would pull every tag of the
   * repository, so a reference without tag or digest gets {@code latest}, as {@code docker pull}
   * does.
   */
  static String query(String image) {
    int slash = image.lastIndexOf('/');
    boolean tagged = image.contains("@") || image.indexOf(':', slash + 1) >= 0;
    return "fromImage=" + EngineJson.query(image) + (tagged ? "" : "&tag=latest");
  }
}

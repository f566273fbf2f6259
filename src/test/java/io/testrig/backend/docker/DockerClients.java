package io.testrig.backend.docker;

import com.github.dockerjava.api.DockerClient;
import io.testrig.engine.Engine;

/**
 * The docker-java client under a connected engine, for integration tests that check the engine
 * directly (what exists, with which labels) rather than through the backend they test.
 */
public final class DockerClients {
  private DockerClients() {}

  public static DockerClient of(Engine engine) {
    return ((DockerBackend) engine.backend()).client();
  }
}

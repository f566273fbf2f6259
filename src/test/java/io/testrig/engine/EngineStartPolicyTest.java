package io.testrig.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.testrig.engine.EngineStartPolicy.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineStartPolicyTest {
  /**
   * Only the builder image on a Kubernetes executor starts its own dockerd: nothing configured, no
   * socket, dockerd installed, and not --start-engine=never. A DOCKER_HOST (a DinD service) or a
   * socket (the entrypoint's daemon, a bound host socket) means: only connect and wait.
   */
  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "auto, null, false, true, true",
        "auto, '', false, true, true",
        "auto, '  ', false, true, true",
        "never, null, false, true, false",
        "auto, tcp://docker:2376, false, true, false",
        "auto, unix:///run/user/1/docker.sock, false, true, false",
        "auto, null, true, true, false",
        "auto, null, false, false, false",
      })
  void startsDockerdOnlyWhenNothingIsThereAndItIsInstalled(
      Mode mode, String host, boolean socket, boolean dockerd, boolean start) {
    assertEquals(start, EngineStartPolicy.shouldStart(mode, host, socket, dockerd));
  }
}

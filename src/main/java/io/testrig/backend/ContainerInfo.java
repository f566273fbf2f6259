package io.testrig.backend;

import java.util.List;
import java.util.Map;

/**
 * What orchestration reads from one container's inspection.
 *
 * @param status the engine's state word: created, running, restarting, exited, dead, ...
 * @param exitCode the last exit code, or null before the first exit
 * @param healthcheck the resolved healthcheck (compose's or the image's), or null when none
 * @param ip the address on its first network that has one, or null
 * @param tcpPorts published host port (as the engine spells it) by container TCP port
 */
public record ContainerInfo(
    String id,
    String status,
    boolean running,
    Long exitCode,
    boolean oomKilled,
    Healthcheck healthcheck,
    String ip,
    Map<Integer, String> tcpPorts) {
  public ContainerInfo {
    tcpPorts = tcpPorts == null ? Map.of() : Map.copyOf(tcpPorts);
  }

  /**
   * A healthcheck as the engine stores it.
   *
   * @param test NONE, CMD args, CMD-SHELL command, or a bare command
   *     (https://docs.docker.com/reference/dockerfile/#healthcheck)
   * @param timeoutNanos one try's timeout; null or 0 means the engine default
   */
  public record Healthcheck(List<String> test, Long timeoutNanos) {
    public Healthcheck {
      test = List.copyOf(test);
    }
  }
}

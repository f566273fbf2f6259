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
 * @param ports every port the container exposes, published or not, one entry per host binding (the
 *     engine's {@code NetworkSettings.Ports}); null when the backend does not report them (then
 *     {@code testrig info} asks compose)
 */
public record ContainerInfo(
    String id,
    String status,
    boolean running,
    Long exitCode,
    boolean oomKilled,
    Healthcheck healthcheck,
    String ip,
    Map<Integer, String> tcpPorts,
    List<Port> ports) {
  public ContainerInfo {
    tcpPorts = tcpPorts == null ? Map.of() : Map.copyOf(tcpPorts);
    ports = ports == null ? null : List.copyOf(ports);
  }

  /** A container that does not report its exposed ports ({@code ports} null). */
  public ContainerInfo(
      String id,
      String status,
      boolean running,
      Long exitCode,
      boolean oomKilled,
      Healthcheck healthcheck,
      String ip,
      Map<Integer, String> tcpPorts) {
    this(id, status, running, exitCode, oomKilled, healthcheck, ip, tcpPorts, null);
  }

  /**
   * One exposed container port and one of its host bindings.
   *
   * @param target the container port
   * @param protocol tcp, udp or sctp
   * @param hostIp the host address it is bound to ({@code 0.0.0.0}, {@code ::}, ...), or "" when
   *     not published
   * @param hostPort the host port, or 0 when not published
   */
  public record Port(int target, String protocol, String hostIp, int hostPort) {
    public Port {
      hostIp = hostIp == null ? "" : hostIp;
    }
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

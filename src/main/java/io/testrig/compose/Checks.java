package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ContainerInfo;
import io.testrig.rig.StackSpec.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds the {@link Check} for a container: its healthcheck, else the rig's probe, else running.
 */
final class Checks {
  /** Longest one healthcheck try may take here: a try that hangs must not hide a later success. */
  private static final long MAX_TRY_NANOS = 5_000_000_000L;

  /** The engine's default healthcheck timeout (30 s) when none is set. */
  private static final long DEFAULT_TRY_NANOS = 30_000_000_000L;

  private Checks() {}

  /**
   * Where probes connect: a local engine's containers directly by IP; a remote engine's through
   * published ports on {@code engineHost}. {@code serviceIp} names a service's first container's
   * address (for http probes whose host is a service).
   */
  record Net(boolean local, String engineHost, Function<String, String> serviceIp) {}

  static Check forContainer(Backend backend, ContainerInfo c, ProbeSpec probe, Net net) {
    Check hc = healthcheck(backend, c);
    if (hc != null) {
      return hc;
    }
    return probe == null ? new RunningCheck() : probe(backend, probe, net);
  }

  /**
   * The container's healthcheck (compose's {@code healthcheck:} or the image's HEALTHCHECK, as the
   * engine resolved it), or null when it has none or it is disabled.
   */
  static Check healthcheck(Backend backend, ContainerInfo c) {
    ContainerInfo.Healthcheck hc = c.healthcheck();
    if (hc == null || hc.test().isEmpty()) {
      return null;
    }
    List<String> test = hc.test();
    List<String> cmd;
    // Forms per https://docs.docker.com/reference/dockerfile/#healthcheck: NONE, CMD, CMD-SHELL.
    switch (test.get(0)) {
      case "NONE":
        return null;
      case "CMD":
        cmd = test.subList(1, test.size());
        break;
      case "CMD-SHELL":
        // Linux containers: the engine runs CMD-SHELL with /bin/sh -c (SHELL only matters on
        // Windows images, which testrig does not support).
        cmd = new ArrayList<>(List.of("/bin/sh", "-c"));
        cmd.add(String.join(" ", test.subList(1, test.size())));
        break;
      default:
        cmd = test;
    }
    // The engine's own timeout for one try (nanoseconds), bounded.
    Long t = hc.timeoutNanos();
    long nanos = t == null || t <= 0 ? DEFAULT_TRY_NANOS : t;
    return new ExecCheck(
        backend, "healthcheck", cmd, Duration.ofNanos(Math.min(nanos, MAX_TRY_NANOS)));
  }

  /** The rig's probe for a service without a healthcheck. */
  static Check probe(Backend backend, ProbeSpec p, Net net) {
    if (p instanceof ProbeSpec.Tcp t) {
      return new TcpCheck(t.port(), net.local(), net.engineHost());
    }
    if (p instanceof ProbeSpec.Http h) {
      return new HttpCheck(h.url(), net.local(), net.serviceIp());
    }
    if (p instanceof ProbeSpec.Log l) {
      return new LogCheck(backend, Pattern.compile(l.pattern()));
    }
    ProbeSpec.Command c = (ProbeSpec.Command) p;
    return new ExecCheck(backend, "probe command", c.argv(), Duration.ofSeconds(5));
  }
}

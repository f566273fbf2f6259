package io.testrig.compose;

import io.testrig.backend.ContainerInfo;

/**
 * One readiness check, tried on a fast schedule against one running container: the closed set of
 * what can make a service count as ready (its healthcheck, or the rig's tcp, http, log or command
 * probe, or simply running). Shaped like testcontainers' {@code WaitStrategy}: a tiny interface
 * over a neutral target, here the container's {@link ContainerInfo}; each kind is one small class,
 * built by {@link Checks}.
 */
sealed interface Check extends AutoCloseable
    permits ExecCheck, TcpCheck, HttpCheck, LogCheck, RunningCheck {
  /** What the status reports as {@code how}. */
  String describe();

  /** Null when ready, else a short reason why not (kept for the timeout message). */
  String test(ContainerInfo container) throws InterruptedException;

  @Override
  default void close() {}
}

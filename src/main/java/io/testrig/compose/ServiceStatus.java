package io.testrig.compose;

import java.time.Duration;

/**
 * The outcome of one service's start: what made it count as ready, how long after its start, or why
 * it failed. The run report turns each into a "stack up" testcase.
 *
 * @param service compose service name
 * @param state final state (READY, DONE, FAILED or SKIPPED)
 * @param how what decided it: {@code healthcheck}, {@code health event}, {@code probe tcp 5432},
 *     {@code running}, {@code exited 0}, ...
 * @param elapsed from the service's start request to the decision
 * @param message one line; for a failure it names the state and the last log lines
 */
public record ServiceStatus(
    String service, State state, String how, Duration elapsed, String message) {

  /** Progress and final states. */
  public enum State {
    /** Waiting for its depends_on conditions. */
    WAITING,
    /** Start requested; readiness checks running. */
    STARTING,
    /** Long-running service ready. */
    READY,
    /** One-shot service exited 0. */
    DONE,
    /** Did not become ready, exited non-zero, or could not start. */
    FAILED,
    /** Not started because another service failed first. */
    SKIPPED
  }

  public boolean ok() {
    return state == State.READY || state == State.DONE;
  }
}

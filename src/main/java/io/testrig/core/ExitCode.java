package io.testrig.core;

/**
 * The one exit-code table of testrig. README's "Exit codes" section documents the same table; keep
 * them together.
 */
public enum ExitCode {
  /** Everything ran and every testcase passed. */
  OK(0),
  /** The run completed but at least one testcase failed or errored. */
  TESTS_FAILED(1),
  /** Bad command-line usage or bad input: rig file, template, compose file, report file. */
  BAD_INPUT(2),
  /** The Docker engine or the compose CLI is missing, unreachable or too old. */
  ENGINE_UNAVAILABLE(3),
  /**
   * The stack failed: a service never became ready, an image is missing, a port is taken, or a
   * service died while the suites ran.
   */
  STACK_FAILED(4),
  /**
   * A file-system or other environment failure outside the user's input (disk full, no /dev/shm).
   */
  IO_FAILURE(5),
  /** A bug in testrig. Rerun with --stacktrace and report it. */
  INTERNAL(70),
  /** Interrupted by SIGINT or SIGTERM; the stack was torn down and secrets wiped. */
  INTERRUPTED(130);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}

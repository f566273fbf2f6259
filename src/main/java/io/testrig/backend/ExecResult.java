package io.testrig.backend;

/**
 * A command run in a container: its exit code (-1 when it timed out) and the head of its output.
 */
public record ExecResult(long exitCode, String output) {
  public boolean ok() {
    return exitCode == 0;
  }
}

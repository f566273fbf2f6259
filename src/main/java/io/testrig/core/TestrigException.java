package io.testrig.core;

import java.util.List;

/**
 * The one exception type testrig raises for expected failures. Its message is a single line that
 * names the file, key or service at fault and never contains a secret value; the CLI prints it as
 * {@code testrig: <message>} and exits with {@link #exitCode()}. Stack traces only with
 * --stacktrace.
 */
public class TestrigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;
  private final List<String> lines;

  public TestrigException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
    this.lines = null;
  }

  /**
   * Several problems found in one pass (testrig validate): the CLI prints one line each; {@link
   * #getMessage()} joins them for places that hold one message (a report's error testcase).
   */
  public TestrigException(ExitCode exitCode, List<String> lines) {
    super(lines.size() == 1 ? lines.get(0) : String.join("; ", lines));
    this.exitCode = exitCode;
    this.lines = List.copyOf(lines);
  }

  public TestrigException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.lines = null;
  }

  /** The lines the CLI prints, each as {@code testrig: <line>}: the message, or every problem. */
  public List<String> lines() {
    return lines == null ? List.of(String.valueOf(getMessage())) : lines;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  public static TestrigException badInput(String message) {
    return new TestrigException(ExitCode.BAD_INPUT, message);
  }

  public static TestrigException io(String message, Throwable cause) {
    return new TestrigException(ExitCode.IO_FAILURE, message, cause);
  }
}

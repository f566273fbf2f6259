package io.testrig.core;

/**
 * The one exception type testrig raises for expected failures. Its message is a single line that
 * names the file, key or service at fault and never contains a secret value; the CLI prints it as
 * {@code testrig: <message>} and exits with {@link #exitCode()}. Stack traces only with
 * --stacktrace.
 */
public class TestrigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public TestrigException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public TestrigException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
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

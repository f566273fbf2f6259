package io.testrig.report;

/**
 * A {@code <failure>}, {@code <error>} or {@code <skipped>} element of a testcase: its {@code
 * message} and {@code type} attributes and its text (typically a stack trace). Any part may be
 * null.
 */
public record Problem(Kind kind, String message, String type, String text) {
  /** The element name doubles as the kind; GitLab reads exactly these three. */
  public enum Kind {
    FAILURE("failure"),
    ERROR("error"),
    SKIPPED("skipped");

    private final String element;

    Kind(String element) {
      this.element = element;
    }

    /** The JUnit XML element name. */
    public String element() {
      return element;
    }
  }

  public Problem {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
  }

  public static Problem failure(String message, String text) {
    return new Problem(Kind.FAILURE, message, null, text);
  }

  public static Problem error(String message, String text) {
    return new Problem(Kind.ERROR, message, null, text);
  }

  public static Problem skipped(String message) {
    return new Problem(Kind.SKIPPED, message, null, null);
  }
}

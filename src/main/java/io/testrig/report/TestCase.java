package io.testrig.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <testcase>}: GitLab shows {@code classname} as the "Suite" column and {@code name} as
 * the test name, and keys a test by the two (https://gitlab.com/gitlab-org/gitlab/-/issues/299086,
 * https://docs.gitlab.com/ci/testing/unit_test_reports/). {@code time} is in seconds ({@code <0}
 * when unknown); {@code file} is the source file GitLab links to (null when unknown); {@code
 * attachments} are artifact paths written as {@code [[ATTACHMENT|path]]} lines into system-out.
 */
public record TestCase(
    String classname,
    String name,
    String file,
    double time,
    List<Problem> problems,
    String systemOut,
    String systemErr,
    List<String> attachments) {

  /** The classname of testcases for testrig's own phases (render, certs, stack up, teardown). */
  public static final String PHASE_CLASSNAME = "testrig";

  /** The outcome GitLab derives from the elements: failure wins over error over skipped. */
  public enum Status {
    PASSED,
    FAILED,
    ERROR,
    SKIPPED
  }

  public TestCase {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a testcase needs a name");
    }
    problems = List.copyOf(problems == null ? List.of() : problems);
    attachments = List.copyOf(attachments == null ? List.of() : attachments);
    for (String a : attachments) {
      checkAttachment(a);
    }
  }

  public static TestCase passed(String classname, String name, Duration time) {
    return new TestCase(classname, name, null, seconds(time), List.of(), null, null, List.of());
  }

  public static TestCase failed(
      String classname, String name, Duration time, String message, String details) {
    return new TestCase(
        classname,
        name,
        null,
        seconds(time),
        List.of(Problem.failure(message, details)),
        null,
        null,
        List.of());
  }

  public static TestCase error(
      String classname, String name, Duration time, String message, String details) {
    return new TestCase(
        classname,
        name,
        null,
        seconds(time),
        List.of(Problem.error(message, details)),
        null,
        null,
        List.of());
  }

  public static TestCase skipped(String classname, String name, String reason) {
    return new TestCase(
        classname, name, null, -1, List.of(Problem.skipped(reason)), null, null, List.of());
  }

  /**
   * A testcase for one of testrig's own phases, e.g. {@code phase("stack up: postgres", d, null,
   * null)}. A non-null {@code errorMessage} makes it an error (infrastructure, not a test
   * assertion) with {@code details} as its text.
   */
  public static TestCase phase(String phase, Duration time, String errorMessage, String details) {
    return errorMessage == null
        ? passed(PHASE_CLASSNAME, phase, time)
        : error(PHASE_CLASSNAME, phase, time, errorMessage, details);
  }

  public Status status() {
    boolean error = false;
    boolean skipped = false;
    for (Problem p : problems) {
      switch (p.kind()) {
        case FAILURE -> {
          return Status.FAILED;
        }
        case ERROR -> error = true;
        case SKIPPED -> skipped = true;
      }
    }
    return error ? Status.ERROR : skipped ? Status.SKIPPED : Status.PASSED;
  }

  public TestCase withSystemOut(String text) {
    return new TestCase(classname, name, file, time, problems, text, systemErr, attachments);
  }

  public TestCase withSystemErr(String text) {
    return new TestCase(classname, name, file, time, problems, systemOut, text, attachments);
  }

  public TestCase withFile(String path) {
    return new TestCase(classname, name, path, time, problems, systemOut, systemErr, attachments);
  }

  public TestCase withClassname(String newClassname) {
    return new TestCase(
        newClassname, name, file, time, problems, systemOut, systemErr, attachments);
  }

  public TestCase withName(String newName) {
    return new TestCase(
        classname, newName, file, time, problems, systemOut, systemErr, attachments);
  }

  /**
   * Adds an attachment: a path inside the job's artifacts (e.g. a saved service log or a
   * screenshot). GitLab shows only the first one, and only for failed or errored cases (see {@link
   * JUnitWriter}).
   */
  public TestCase withAttachment(String path) {
    List<String> list = new ArrayList<>(attachments);
    list.add(path);
    return new TestCase(classname, name, file, time, problems, systemOut, systemErr, list);
  }

  /**
   * GitLab's ATTACHMENT_TAG_REGEX is {@code /\[\[ATTACHMENT\|(?<path>[^\[\]\|]+?)\]\]/}
   * (lib/gitlab/ci/parsers/test/junit.rb): a path with brackets, a pipe or a line break would not
   * match, so it is refused here rather than silently lost.
   */
  static void checkAttachment(String path) {
    if (path == null || path.isBlank() || path.matches("(?s).*[\\[\\]|\\r\\n].*")) {
      throw new IllegalArgumentException(
          "attachment path must be non-empty without [ ] | or line breaks: " + path);
    }
  }

  private static double seconds(Duration d) {
    return d == null ? -1 : d.toNanos() / 1e9;
  }
}

package io.testrig.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The console lines that name a run's failed and errored testcases, so a reader of the job log
 * knows what failed without opening the report: suite, classname (which carries the matrix config,
 * see {@link TestSuite#forConfig}), name, and the first line GitLab shows.
 */
public final class FailureSummary {
  /** At most this many testcases are named; the rest are counted. */
  public static final int MAX_LISTED = 20;

  /** Cap for the message part of one line, in characters. */
  static final int MAX_MESSAGE_CHARS = 200;

  private FailureSummary() {}

  /** One line per failed or errored testcase (at most {@code max}), then "... and N more". */
  public static List<String> lines(Report report, int max) {
    List<String> lines = new ArrayList<>();
    int more = 0;
    for (TestSuite s : report.suites()) {
      for (TestCase c : s.cases()) {
        TestCase.Status st = c.status();
        if (st != TestCase.Status.FAILED && st != TestCase.Status.ERROR) {
          continue;
        }
        if (lines.size() >= max) {
          more++;
          continue;
        }
        lines.add(line(s, c, st));
      }
    }
    if (more > 0) {
      lines.add("  ... and " + more + " more failed or errored testcases in the report");
    }
    return lines;
  }

  private static String line(TestSuite s, TestCase c, TestCase.Status st) {
    String where = c.classname() == null ? "" : c.classname() + " > ";
    String message = firstLine(c, st);
    return "  "
        + (st == TestCase.Status.FAILED ? "FAILED " : "ERROR  ")
        + where
        + c.name()
        + " ("
        + s.name()
        + ")"
        + (message.isEmpty() ? "" : ": " + message);
  }

  /** The first non-blank line of what GitLab shows for the problem (see JUnitWriter#shownText). */
  static String firstLine(TestCase c, TestCase.Status st) {
    Problem.Kind kind = st == TestCase.Status.FAILED ? Problem.Kind.FAILURE : Problem.Kind.ERROR;
    for (Problem p : c.problems()) {
      if (p.kind() != kind) {
        continue;
      }
      String shown = JUnitWriter.shownText(p.message(), p.type(), p.text());
      if (shown == null) {
        return "";
      }
      for (String l : shown.split("\\R")) {
        if (!l.isBlank()) {
          String t = XmlText.clean(l.strip());
          return t.length() <= MAX_MESSAGE_CHARS ? t : t.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
      }
      return "";
    }
    return "";
  }
}

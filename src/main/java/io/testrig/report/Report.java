package io.testrig.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole JUnit report: the {@code <testsuites>} root. Immutable; {@link #merge} and {@link #plus}
 * return new reports.
 */
public record Report(String name, List<TestSuite> suites) {
  /** Suite and classname of the testcase that stands in for an empty report. */
  public static final String EMPTY_SUITE = "testrig";

  public Report {
    if (name == null || name.isEmpty()) {
      name = "testrig";
    }
    suites = List.copyOf(suites == null ? List.of() : suites);
  }

  public static Report of(String name, List<TestSuite> suites) {
    return new Report(name, suites);
  }

  /** All suites of {@code reports}, in order, under {@code name}. */
  public static Report merge(String name, List<Report> reports) {
    List<TestSuite> all = new ArrayList<>();
    for (Report r : reports) {
      all.addAll(r.suites());
    }
    return new Report(name, all);
  }

  public Report plus(TestSuite suite) {
    List<TestSuite> all = new ArrayList<>(suites);
    all.add(suite);
    return new Report(name, all);
  }

  /** Counts over every testcase of every suite. */
  public Totals totals() {
    List<TestCase> all = new ArrayList<>();
    for (TestSuite s : suites) {
      all.addAll(s.cases());
    }
    return Totals.of(all);
  }

  /**
   * True when any testcase failed or errored, and also when there is no testcase at all: an empty
   * report is never green (the written file then holds an error testcase, see {@link
   * #ensureNotEmpty()}).
   */
  public boolean hasFailures() {
    Totals t = totals();
    return t.tests() == 0 || t.failures() + t.errors() > 0;
  }

  /**
   * This report, or, when it holds no testcase, this report plus a suite with one error testcase
   * saying so, so GitLab never shows an empty run as passed.
   */
  public Report ensureNotEmpty() {
    if (totals().tests() > 0) {
      return this;
    }
    return plus(
        TestSuite.of(
            EMPTY_SUITE,
            List.of(
                TestCase.error(
                    EMPTY_SUITE,
                    "no testcases",
                    null,
                    "the report holds no testcase: no suite ran or none wrote JUnit XML",
                    null))));
  }

  /** Testcase counts by status; {@code time} is the sum of known testcase times in seconds. */
  public record Totals(int tests, int failures, int errors, int skipped, double time) {
    static Totals of(List<TestCase> cases) {
      int failures = 0;
      int errors = 0;
      int skipped = 0;
      double time = 0;
      for (TestCase c : cases) {
        switch (c.status()) {
          case FAILED -> failures++;
          case ERROR -> errors++;
          case SKIPPED -> skipped++;
          case PASSED -> {}
        }
        if (c.time() > 0) {
          time += c.time();
        }
      }
      return new Totals(cases.size(), failures, errors, skipped, time);
    }

    public int passed() {
      return tests - failures - errors - skipped;
    }
  }
}

package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final Duration MS = Duration.ofMillis(1500);

  @Test
  void totalsCountEveryStatus() {
    Report r =
        Report.of(
            "run",
            List.of(
                TestSuite.of(
                    "s",
                    List.of(
                        TestCase.passed("c", "p", MS),
                        TestCase.failed("c", "f", MS, "boom", "trace"),
                        TestCase.error("c", "e", null, "crash", null),
                        TestCase.skipped("c", "s", "later")))));
    assertEquals(new Report.Totals(4, 1, 1, 1, 3.0), r.totals());
    assertEquals(1, r.totals().passed());
    assertTrue(r.hasFailures());
  }

  @Test
  void failureWinsOverErrorOverSkippedAsInGitLab() {
    TestCase c =
        new TestCase(
            "c",
            "n",
            null,
            -1,
            List.of(Problem.skipped("x"), Problem.error("e", null), Problem.failure("f", null)),
            null,
            null,
            List.of());
    assertEquals(TestCase.Status.FAILED, c.status());
    assertEquals(
        TestCase.Status.ERROR,
        new TestCase(
                "c",
                "n",
                null,
                -1,
                List.of(Problem.skipped("x"), Problem.error("e", null)),
                null,
                null,
                List.of())
            .status());
  }

  @Test
  void allPassedOrSkippedIsGreen() {
    Report r =
        Report.of(
            "run",
            List.of(
                TestSuite.of(
                    "s", List.of(TestCase.passed("c", "p", MS), TestCase.skipped("c", "s", "x")))));
    assertFalse(r.hasFailures());
    assertSame(r, r.ensureNotEmpty());
  }

  @Test
  void emptyReportIsNeverGreen() {
    Report empty = Report.of("run", List.of(TestSuite.of("s", List.of())));
    assertTrue(empty.hasFailures());
    Report filled = empty.ensureNotEmpty();
    assertEquals(1, filled.totals().errors());
    TestCase c = filled.suites().get(1).cases().get(0);
    assertEquals("no testcases", c.name());
    assertTrue(c.problems().get(0).message().contains("no testcase"));
  }

  @Test
  void mergeKeepsSuitesInOrderAndPhasesAreTestcases() {
    Report a = Report.of("a", List.of(TestSuite.of("s1", List.of(TestCase.passed("c", "x", MS)))));
    Report b =
        Report.of(
            "b",
            List.of(
                TestSuite.of(
                    "testrig",
                    List.of(
                        TestCase.phase("render", MS, null, null),
                        TestCase.phase(
                            "stack up: postgres", MS, "not ready after 60 s", "log tail")))));
    Report m = Report.merge("run", List.of(a, b));
    assertEquals(List.of("s1", "testrig"), m.suites().stream().map(TestSuite::name).toList());
    assertEquals(new Report.Totals(3, 0, 1, 0, 4.5), m.totals());
    TestCase up = m.suites().get(1).cases().get(1);
    assertEquals(TestCase.PHASE_CLASSNAME, up.classname());
    assertEquals(TestCase.Status.ERROR, up.status());
  }

  @Test
  void attachmentPathsGitLabCannotMatchAreRefused() {
    TestCase c = TestCase.failed("c", "n", MS, "m", null);
    assertEquals(List.of("logs/db.log"), c.withAttachment("logs/db.log").attachments());
    for (String bad : List.of("a|b", "a]b", "[x", "a\nb", " ")) {
      assertThrows(IllegalArgumentException.class, () -> c.withAttachment(bad), bad);
    }
  }
}

package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.report.Report;
import io.testrig.report.TestCase;
import io.testrig.report.TestSuite;
import io.testrig.rig.Matrix;
import io.testrig.rig.SuiteSpec;
import io.testrig.support.Suites;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names in the report a reader of GitLab's test view can use (issue 10). */
class ReportNamesTest {
  @TempDir Path dir;

  private static final Matrix.Config CONFIG =
      new Matrix.Config(
          "ssl.min_protocol=TLSv1.2,features.client_cert=true",
          "tlsv1_2-true",
          Map.of("ssl.min_protocol", "TLSv1.2", "features.client_cert", true));

  @Test
  void aMatrixConfigsPhasesCarryTheConfigInTheirClassname() {
    ConfigRun run =
        new ConfigRun(null, CONFIG, null, "r1", null, null, null, null, Map.of(), () -> {});
    TestCase stop = TestCase.phase("interrupted", Duration.ZERO, "interrupted", null);
    List<TestSuite> suites = run.snapshot(stop);
    assertEquals(1, suites.size());
    assertEquals("[" + CONFIG.name() + "] testrig", suites.get(0).name());
    TestCase c = suites.get(0).cases().get(0);
    assertEquals("[tlsv1_2-true] testrig", c.classname());
    assertEquals("interrupted", c.name(), "no (2), (3) suffixes for configs");
  }

  @Test
  void aSingleConfigKeepsPlainNames() {
    ConfigRun run =
        new ConfigRun(
            null, Matrix.Config.SINGLE, null, "r1", null, null, null, null, null, () -> {});
    TestCase stop = TestCase.phase("interrupted", Duration.ZERO, "interrupted", null);
    TestSuite s = run.snapshot(stop).get(0);
    assertEquals("testrig", s.name());
    assertEquals("testrig", s.cases().get(0).classname());
  }

  @Test
  void aJvmSuitesTestsuiteIsNamedAfterTheRigsSuiteNotTheEngine() {
    TestSuite jupiter =
        TestSuite.of("JUnit Jupiter", List.of(TestCase.passed("io.x.T", "t()", null)));
    SuiteSpec jvm =
        Suites.named("db-jvm").junit(List.of("classes"), List.of("--scan-classpath"), true).build();
    assertEquals("db-jvm", ConfigRun.relabel(jupiter, null, jvm).name());
    SuiteSpec container = Suites.named("e2e").service("tests").build();
    TestSuite pytest = TestSuite.of("pytest", List.of(TestCase.passed("t", "x", null)));
    assertEquals("pytest", ConfigRun.relabel(pytest, null, container).name());
  }

  @Test
  void anAbsoluteArtifactsPathReachingTheProjectThroughALinkGivesARelativeAttachment()
      throws IOException {
    Path target = Path.of("target", "attachment-path-test", "logs").toAbsolutePath();
    Files.createDirectories(target);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target.getParent());
    String p = RunService.attachmentPath(link.resolve("logs").resolve("db.log"));
    assertEquals("target/attachment-path-test/logs/db.log", p);
    assertFalse(p.startsWith("/"));
    String under = RunService.attachmentPath(target.resolve("db.log"));
    assertEquals("target/attachment-path-test/logs/db.log", under);
  }

  @Test
  void theConsoleNamesFailedCasesWithConfigAndFirstMessageLine() {
    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    Output out = new Output.Plain(pw, pw, java.time.Clock.systemUTC());
    java.util.List<TestCase> cases = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      cases.add(TestCase.failed("tests.test_db", "test_" + i, null, "assert " + i, "trace"));
    }
    cases.add(TestCase.passed("tests.test_db", "ok", null));
    Report r =
        Report.of("r", List.of(TestSuite.of("e2e", cases).forConfig(CONFIG.name(), CONFIG.slug())));
    RunService.summary(r, dir.resolve("junit.xml"), false, out);
    pw.flush();
    List<String> lines = sw.toString().lines().toList();
    assertEquals(
        "  FAILED [tlsv1_2-true] tests.test_db > test_0 ([" + CONFIG.name() + "] e2e): assert 0",
        lines.get(0));
    assertEquals(22, lines.size(), sw.toString());
    assertEquals("  ... and 5 more failed or errored testcases in the report", lines.get(20));
    assertTrue(lines.get(21).startsWith("JUnit XML: "), lines.get(21));
  }
}

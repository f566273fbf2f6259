package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of issue 10: testrig's merged report read the way GitLab reads it ({@link GitLabView}:
 * ActiveSupport on Nokogiri plus GitLab's parser rules), on a corpus of the tool formats
 * docs/cli.md names, hostile bytes, huge outputs, many cases, nested suites and odd attributes.
 * Each test asserts what GitLab shows: counts by status, every testcase, messages as text,
 * attachments.
 */
class GitLabJunitViewTest {
  @TempDir Path dir;

  private int n;

  /** Writes {@code xml} as an input file. */
  private Path input(String xml) throws IOException {
    return input(xml.getBytes(StandardCharsets.UTF_8));
  }

  private Path input(byte[] bytes) throws IOException {
    Path p = dir.resolve("in-" + n++ + ".xml");
    Files.write(p, bytes);
    return p;
  }

  /** Merges like {@code testrig report merge}, checks the XSD, and reads it as GitLab does. */
  private GitLabView merged(ExitCode expected, Path... inputs) {
    Path out = dir.resolve("out-" + n++ + ".xml");
    ReportMerge.Outcome o =
        ReportMerge.run(
            List.of(inputs), out, "r", null, new Redactor(), JUnitWriter.Options.DEFAULT);
    assertEquals(expected, o.exitCode());
    XmlLint.assertValid(out);
    return GitLabView.of(out);
  }

  @Test
  void pytestReportShowsEveryCaseWithItsMessages() throws IOException {
    Path in =
        input(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <testsuites><testsuite name="pytest" errors="0" failures="1" skipped="2" tests="4" \
            time="0.051" timestamp="2026-11-29T10:00:00.000000" hostname="runner">
            <testcase classname="tests.test_db" name="test_ok" time="0.001" />
            <testcase classname="tests.test_db" name="test_fail" time="0.002">\
            <failure message="assert 1 == 2">def test_fail():
            &gt;       assert 1 == 2
            E       assert 1 == 2</failure></testcase>
            <testcase classname="tests.test_db" name="test_skip" time="0.000">\
            <skipped type="pytest.skip" message="no database">tests/test_db.py:10: skipped</skipped>\
            </testcase>
            <testcase classname="tests.test_db" name="test_xfail" time="0.000">\
            <skipped type="pytest.xfail" message="known bug #12" /></testcase>
            </testsuite></testsuites>
            """);
    GitLabView v = merged(ExitCode.TESTS_FAILED, in).assertCounts(1, 1, 0, 2);
    v.assertProblemsShownAsText();
    // The text holds the message already: shown as pytest wrote it.
    assertTrue(v.named("test_fail").shown().startsWith("def test_fail():\n>       assert 1 == 2"));
    assertEquals(
        "pytest.skip: no database\ntests/test_db.py:10: skipped", v.named("test_skip").shown());
    assertEquals("pytest.xfail: known bug #12", v.named("test_xfail").shown());
  }

  @Test
  void surefireMessageAndExceptionClassAreShown() throws IOException {
    Path in =
        input(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            name="com.shop.CartTest" time="1,234.5" tests="4" errors="1" skipped="0" failures="1">
              <properties><property name="java.version" value="17.0.9"/></properties>
              <testcase name="adds" classname="com.shop.CartTest" time="1,200.5"/>
              <testcase name="npe" classname="com.shop.CartTest" time="0.01">
                <error message="NPE" type="java.lang.NullPointerException">\
            at com.shop.Cart.total(Cart.java:10)</error>
                <system-out>[[ATTACHMENT|target/screens/npe.png]]</system-out>
              </testcase>
              <testcase name="totals" classname="com.shop.CartTest" time="0.02">
                <failure message="expected: &lt;2&gt; but was: &lt;3&gt;" \
            type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError: \
            expected: &lt;2&gt; but was: &lt;3&gt;
            \tat com.shop.CartTest.totals(CartTest.java:20)</failure>
              </testcase>
              <testcase name="flaky" classname="com.shop.CartTest" time="0.03">
                <flakyFailure message="once" type="java.lang.AssertionError">\
            <stackTrace>at x</stackTrace></flakyFailure>
              </testcase>
            </testsuite>
            """);
    GitLabView v = merged(ExitCode.TESTS_FAILED, in).assertCounts(2, 1, 1, 0);
    v.assertProblemsShownAsText();
    GitLabView.Case npe = v.named("npe");
    assertTrue(
        npe.shown().startsWith("java.lang.NullPointerException: NPE\nat com.shop"), npe.shown());
    assertEquals("target/screens/npe.png", npe.attachment());
    assertTrue(
        v.named("totals").shown().startsWith("org.opentest4j.AssertionFailedError: expected"));
    assertEquals(1200.5, v.named("adds").time(), 1e-9);
  }

  @Test
  void junitConsoleLauncherReport() throws IOException {
    Path in =
        input(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="JUnit Jupiter" tests="2" skipped="1" failures="0" errors="0" \
            time="0.2" hostname="h" timestamp="2026-11-29T10:00:00">
            <properties><property name="java.version" value="17"/></properties>
            <testcase name="connects()" classname="io.shop.DbTest" time="0.1">
            <system-out><![CDATA[
            unique-id: [engine:junit-jupiter]/[class:io.shop.DbTest]/[method:connects()]
            display-name: connects()
            ]]></system-out></testcase>
            <testcase name="later()" classname="io.shop.DbTest" time="0">
            <skipped><![CDATA[Assumption failed: no replica configured]]></skipped>
            </testcase></testsuite>
            """);
    GitLabView v = merged(ExitCode.OK, in).assertCounts(1, 0, 0, 1);
    v.assertProblemsShownAsText();
    assertEquals("Assumption failed: no replica configured", v.named("later()").shown());
  }

  @Test
  void goJunitReportAndItsUnitTimes() throws IOException {
    Path go = Path.of("src/test/resources/junit/go-junit-report.xml");
    Path timed =
        input(
            """
            <testsuites><testsuite name="example.com/x" tests="2" time="12s">
            <testcase name="TestSlow" classname="example.com/x" time="12s"></testcase>
            <testcase name="TestGo" classname="example.com/x" time="1m2.5s"></testcase>
            </testsuite></testsuites>
            """);
    GitLabView v = merged(ExitCode.TESTS_FAILED, go, timed).assertCounts(4, 1, 0, 1);
    v.assertProblemsShownAsText();
    assertTrue(v.named("TestGet").shown().startsWith("Failed\n    store_test.go:41"));
    assertEquals(12.0, v.named("TestSlow").time(), 1e-9);
    assertEquals(62.5, v.named("TestGo").time(), 1e-9);
  }

  @Test
  void jestJunitReport() throws IOException {
    Path in =
        input(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.2">
              <testsuite name="cart" errors="0" failures="1" skipped="1" \
            timestamp="2026-11-29T10:00:00" time="1.1" tests="3">
                <testcase classname="cart adds an item" name="cart adds an item" time="0.5">
                </testcase>
                <testcase classname="cart removes" name="cart removes" time="0.6">
                  <failure>Error: expect(received).toBe(expected)

            Expected: 1
            Received: 2</failure>
                </testcase>
                <testcase classname="cart later" name="cart later" time="0">
                  <skipped/>
                </testcase>
              </testsuite>
            </testsuites>
            """);
    GitLabView v = merged(ExitCode.TESTS_FAILED, in).assertCounts(1, 1, 0, 1);
    v.assertProblemsShownAsText();
    assertTrue(v.named("cart removes").shown().startsWith("Error: expect(received)"));
    assertNull(v.named("cart later").shown());
  }

  @Test
  void oddTypeAttributesNeitherBlankTheReportNorReplaceTheText() throws IOException {
    StringBuilder xml = new StringBuilder("<testsuites><testsuite name=\"odd\">\n");
    String[] types = {
      "yaml",
      "symbol",
      "integer",
      "boolean",
      "date",
      "datetime",
      "base64Binary",
      "array",
      "float",
      "decimal",
      "file",
      "string",
      "hash"
    };
    for (String t : types) {
      xml.append("<testcase classname=\"odd\" name=\"")
          .append(t)
          .append("\" type=\"array\"><failure type=\"")
          .append(t)
          .append("\" message=\"expected 1\" nil=\"true\">boom</failure></testcase>\n");
    }
    xml.append(
            "<testcase classname=\"odd\" name=\"err\"><error type=\"yaml\">--- !ruby/object:X {}")
        .append("</error></testcase>\n<testcase classname=\"odd\" name=\"skip\">")
        .append("<skipped type=\"symbol\" message=\"later\"/></testcase>\n")
        .append("</testsuite></testsuites>\n");
    GitLabView v = merged(ExitCode.TESTS_FAILED, input(xml.toString()));
    v.assertCounts(0, types.length, 1, 1).assertProblemsShownAsText();
    for (String t : types) {
      assertEquals(t + ": expected 1\nboom", v.named(t).shown());
    }
    assertEquals("yaml\n--- !ruby/object:X {}", v.named("err").shown());
    assertEquals("symbol: later", v.named("skip").shown());
  }

  @Test
  void invalidUtf8AloneLosesNoTestcase() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("<testsuites><testsuite name=\"bytes\">\n".getBytes(StandardCharsets.UTF_8));
    b.writeBytes("<testcase classname=\"c\" name=\"t0\"><failure message=\"bad ".getBytes());
    b.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    b.writeBytes("\">out \u00e9 ok".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x82});
    b.writeBytes("</failure></testcase>\n".getBytes());
    for (int i = 1; i <= 50; i++) {
      b.writeBytes(("<testcase classname=\"c\" name=\"t" + i + "\"/>\n").getBytes());
    }
    b.writeBytes("</testsuite></testsuites>\n".getBytes());
    GitLabView v = merged(ExitCode.TESTS_FAILED, input(b.toByteArray())).assertCounts(50, 1, 0, 0);
    v.assertProblemsShownAsText();
    assertTrue(v.named("t0").shown().startsWith("bad \ufffd(\ufffd\nout \u00e9 ok\ufffd"));
    v.named("t50");
  }

  @Test
  void characterReferencesXmlForbidsAreCleanedAndLoseNoTestcase() throws IOException {
    StringBuilder xml = new StringBuilder("<testsuites><testsuite name=\"ansi\">\n");
    xml.append(
            "<testcase classname=\"c\" name=\"colour\"><failure message=\"&#27;[31mred&#x1b;[0m\">")
        .append("&#27;[1;31mFAILED&#27;[0m then &#0; and &#xFFFF; and &#x110000;</failure>")
        .append("<system-out>&#7;bell</system-out></testcase>\n");
    for (int i = 0; i < 30; i++) {
      xml.append("<testcase classname=\"c\" name=\"after").append(i).append("\"/>\n");
    }
    xml.append("</testsuite></testsuites>\n");
    GitLabView v = merged(ExitCode.TESTS_FAILED, input(xml.toString())).assertCounts(30, 1, 0, 0);
    v.assertProblemsShownAsText();
    assertEquals(
        "red\nFAILED then \ufffd and \ufffd and \ufffd\n\nSystem Out:\n\n\ufffdbell",
        v.named("colour").shown());
    v.named("after29");
  }

  @Test
  void doctypeWithInternalEntitiesIsReadButExternalOnesAreNeverFetched() throws IOException {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-CONTENT");
    Path in =
        input(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuites [\n"
                + "  <!ENTITY product \"Shop\">\n"
                + "  <!ENTITY ext SYSTEM \""
                + secret.toUri()
                + "\">\n]>\n"
                + "<testsuites><testsuite name=\"&product; tests\">"
                + "<testcase classname=\"&product;\" name=\"t1\">"
                + "<failure message=\"&product; broke\">see &product; &ext;</failure></testcase>"
                + "<testcase classname=\"&product;\" name=\"t2\"/>"
                + "</testsuite></testsuites>\n");
    GitLabView v = merged(ExitCode.TESTS_FAILED, in).assertCounts(1, 1, 0, 0);
    GitLabView.Case t1 = v.named("t1");
    assertEquals("Shop", t1.classname());
    assertEquals("Shop tests", t1.suite());
    assertTrue(t1.shown().startsWith("Shop broke\nsee Shop"), t1.shown());
    assertFalse(t1.shown().contains("TOP-SECRET"), t1.shown());
  }

  @Test
  void billionLaughsIsABoundedReadError() throws IOException {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE testsuites [\n");
    dtd.append("<!ENTITY l0 \"ha\">\n");
    for (int i = 1; i <= 12; i++) {
      dtd.append("<!ENTITY l").append(i).append(" \"");
      dtd.append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    dtd.append("]>\n<testsuites><testsuite name=\"s\"><testcase name=\"t\">")
        .append("<failure>&l12;</failure></testcase></testsuite></testsuites>\n");
    GitLabView v = merged(ExitCode.TESTS_FAILED, input(dtd.toString())).assertCounts(0, 0, 1, 0);
    assertTrue(v.cases().get(0).shown().startsWith("malformed JUnit XML"), v.cases().toString());
  }

  @Test
  void nestedSuitesAndCasesDirectlyUnderTheRoot() throws IOException {
    Path in =
        input(
            """
            <testsuites name="phpunit">
              <testcase classname="root" name="loose"/>
              <testsuite name="outer">
                <testsuite name="inner">
                  <testsuite name="innermost">
                    <testcase classname="deep" name="d1"><failure>deep failure</failure></testcase>
                  </testsuite>
                  <testcase classname="in" name="i1"/>
                </testsuite>
                <testcase classname="out" name="o1"><skipped message="nope"/></testcase>
              </testsuite>
            </testsuites>
            """);
    GitLabView v = merged(ExitCode.TESTS_FAILED, in).assertCounts(2, 1, 0, 1);
    v.assertProblemsShownAsText();
    assertEquals("deep failure", v.named("d1").shown());
    assertEquals("nope", v.named("o1").shown());
    v.named("loose");
    v.named("i1");
  }

  @Test
  void sameCaseInTwoInputsIsRenamedOnlyWhereGitLabWouldDropOne() throws IOException {
    String one =
        "<testsuite name=\"api\"><testcase classname=\"t\" name=\"x\"/>"
            + "<testcase classname=\"t\" name=\"x\"><failure>second run</failure></testcase>"
            + "</testsuite>";
    String other = "<testsuite name=\"web\"><testcase classname=\"t\" name=\"x\"/></testsuite>";
    GitLabView v = merged(ExitCode.TESTS_FAILED, input(one), input(other)).assertCounts(2, 1, 0, 0);
    assertEquals(3, v.cases().size());
    assertEquals("second run", v.named("x (2)").shown());
  }

  /** Writes {@code report} like {@code testrig run} does and reads it as GitLab does. */
  private GitLabView written(Report report, JUnitWriter.Options options) {
    Path out = dir.resolve("out-" + n++ + ".xml");
    JUnitWriter.write(report, out, new Redactor(), options);
    XmlLint.assertValid(out);
    return GitLabView.of(out);
  }

  @Test
  void testrigsOwnProblemsShowTheirMessageAsText() throws IOException {
    Report report =
        Report.of(
            "r",
            List.of(
                TestSuite.of(
                    "testrig",
                    List.of(
                        TestCase.phase("stack up", null, "postgres did not become healthy", null),
                        TestCase.skipped("testrig", "suite e2e", "the stack did not come up"),
                        TestCase.failed("c", "f", null, "one line", null)))));
    GitLabView v = written(report, JUnitWriter.Options.DEFAULT).assertCounts(0, 1, 1, 1);
    v.assertProblemsShownAsText();
    assertEquals("postgres did not become healthy", v.named("stack up").shown());
    assertEquals("the stack did not come up", v.named("suite e2e").shown());
    GitLabView none =
        merged(ExitCode.TESTS_FAILED, input("<testsuites/>")).assertCounts(0, 0, 1, 0);
    assertTrue(none.named("no testcases").shown().startsWith("the report holds no testcase"));
    GitLabView bad = merged(ExitCode.TESTS_FAILED, input("<testsuite><testcase name=\"a\"/><oops"));
    bad.assertCounts(1, 0, 1, 0).assertProblemsShownAsText();
    GitLabView.Case readError =
        bad.cases().stream().filter(c -> c.status().equals("error")).findFirst().orElseThrow();
    assertTrue(readError.shown().startsWith("malformed JUnit XML "), readError.toString());
  }

  @Test
  void attachmentsWrittenMidOutputSurviveEveryCut() throws IOException {
    StringBuilder out = new StringBuilder(21_000_000);
    out.append("start\n");
    out.append("log line\n".repeat(1_100_000));
    out.append("[[ATTACHMENT|screens/mid.png]]\n");
    out.append("log line\n".repeat(1_100_000));
    String xml =
        "<testsuite name=\"ui\"><testcase classname=\"ui\" name=\"big\"><failure>broken"
            + "</failure><system-out>"
            + out
            + "</system-out></testcase><testcase classname=\"ui\" name=\"ok\"><system-out>"
            + out
            + "</system-out></testcase></testsuite>";
    GitLabView v = merged(ExitCode.TESTS_FAILED, input(xml)).assertCounts(1, 1, 0, 0);
    assertEquals("screens/mid.png", v.named("big").attachment());
    assertTrue(v.named("big").shown().startsWith("broken\n\nSystem Out:\n\nstart\nlog line"));
  }

  @Test
  void attachmentOutsideTheJobDirectoryBecomesANoteNotAnAbsoluteLink() {
    TestCase c =
        TestCase.error("c", "e", null, "down", null)
            .withAttachment("/tmp/artifacts/logs/db.log")
            .withAttachment("../elsewhere/x.log")
            .withAttachment("testrig-artifacts/logs/db.log");
    GitLabView v =
        written(Report.of("r", List.of(TestSuite.of("s", List.of(c)))), JUnitWriter.Options.DEFAULT)
            .assertCounts(0, 0, 1, 0);
    assertEquals("testrig-artifacts/logs/db.log", v.named("e").attachment());
    assertTrue(
        v.named("e").shown().contains("/tmp/artifacts/logs/db.log is outside the job's directory"));
  }

  @Test
  void overGitLabsCaseLimitTheFileStillParsesAndSaysSo() throws IOException {
    StringBuilder xml = new StringBuilder("<testsuite name=\"many\">");
    for (int i = 0; i < 1_500; i++) {
      xml.append("<testcase classname=\"m\" name=\"t").append(i).append("\"/>");
    }
    xml.append("<testcase classname=\"m\" name=\"bad\"><failure>no</failure></testcase>");
    xml.append("</testsuite>");
    Path out = dir.resolve("limited.xml");
    ReportMerge.Outcome o =
        ReportMerge.run(
            List.of(input(xml.toString())),
            out,
            "r",
            null,
            new Redactor(),
            new JUnitWriter.Options(65_536, JUnitWriter.DEFAULT_MAX_BYTES, false, 1_000));
    assertEquals(ExitCode.TESTS_FAILED, o.exitCode());
    assertTrue(o.written().overLimits());
    // An instance with max_test_cases_per_report = 1000 takes it.
    GitLabView v = GitLabView.of(out, 1_000).assertCounts(0, 1, 1, 0);
    assertEquals("no", v.named("bad").shown());
    assertTrue(
        v.named(JUnitWriter.OVER_LIMITS_NAME)
            .shown()
            .startsWith("the report is over GitLab's limits (1501 testcases"));
  }

  @Test
  void fourHundredThousandLongNamedCasesNeverMakeAFileGitLabRejects() throws IOException {
    Path in = dir.resolve("big-in.xml");
    try (var w = Files.newBufferedWriter(in)) {
      w.write("<testsuite name=\"gen\">");
      String pad = "p".repeat(150);
      for (int i = 0; i < 400_000; i++) {
        w.write("<testcase classname=\"gen.Case\" name=\"" + pad + i + "\" time=\"0.001\"/>");
      }
      w.write("</testsuite>");
    }
    Path out = dir.resolve("big-out.xml");
    ReportMerge.Outcome o =
        ReportMerge.run(List.of(in), out, "r", null, new Redactor(), JUnitWriter.Options.DEFAULT);
    assertEquals(ExitCode.TESTS_FAILED, o.exitCode(), "a report GitLab cannot take is no pass");
    assertTrue(Files.size(out) < 30L * 1024 * 1024);
    GitLabView v = GitLabView.of(out).assertCounts(0, 0, 1, 0);
    assertTrue(
        v.named(JUnitWriter.OVER_LIMITS_NAME)
            .shown()
            .contains("all testcases: 400000 passed, 0 failed, 0 errors, 0 skipped"));
  }

  @Test
  void manyCasesWithOutputsShrinkPassedOutputsFirstAndKeepEveryCase() throws IOException {
    StringBuilder xml = new StringBuilder("<testsuite name=\"many\">");
    String log = "x".repeat(2_000);
    for (int i = 0; i < 20_000; i++) {
      xml.append("<testcase classname=\"m\" name=\"t").append(i).append("\">");
      if (i % 1000 == 0) {
        xml.append("<failure message=\"failed ").append(i).append("\">trace</failure>");
      }
      xml.append("<system-out>").append(log).append("</system-out></testcase>");
    }
    xml.append("</testsuite>");
    Path out = dir.resolve("many.xml");
    ReportMerge.Outcome o =
        ReportMerge.run(
            List.of(input(xml.toString())),
            out,
            "r",
            null,
            new Redactor(),
            new JUnitWriter.Options(65_536, 8_000_000, false));
    assertTrue(Files.size(out) <= 8_000_000);
    assertTrue(o.written().passedTextLimit() < o.written().textLimit(), o.written().toString());
    GitLabView v = GitLabView.of(out).assertCounts(19_980, 20, 0, 0);
    assertEquals(20_000, v.cases().size());
    assertEquals("failed 1000\ntrace\n\nSystem Out:\n\n" + log, v.named("t1000").shown());
  }

  @Test
  void matrixConfigsShowInTheClassnameAndNoCaseIsRenamed() {
    TestSuite base =
        TestSuite.of(
            "pytest", List.of(TestCase.failed("tests.test_db", "test_x", null, "boom", null)));
    Report r =
        Report.of(
            "r",
            List.of(
                base.forConfig("tls=1.2,cert=true", "1_2-true"),
                base.forConfig("tls=1.3,cert=true", "1_3-true")));
    GitLabView v = written(r, JUnitWriter.Options.DEFAULT).assertCounts(0, 2, 0, 0);
    assertEquals(
        List.of("[1_2-true] tests.test_db / test_x", "[1_3-true] tests.test_db / test_x"),
        v.names().stream().sorted().toList());
  }

  @Test
  void severalProblemsInOneCaseAreAllShownAsOneText() throws IOException {
    Path in =
        input(
            """
            <testsuite name="pytest">
            <testcase classname="t" name="both"><failure message="assert 0">E assert 0</failure>            <error message="teardown failed">fixture db: gone</error></testcase>
            <testcase classname="t" name="twice"><failure>first</failure>            <failure>second</failure></testcase>
            </testsuite>
            """);
    GitLabView v = merged(ExitCode.TESTS_FAILED, in).assertCounts(0, 2, 0, 0);
    v.assertProblemsShownAsText();
    assertEquals(
        "E assert 0\n\n[error]\nteardown failed\nfixture db: gone", v.named("both").shown());
    assertEquals("first\n\n[failure]\nsecond", v.named("twice").shown());
  }
}

package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import io.testrig.core.Redactor;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JUnitWriterTest {
  private static final Duration T = Duration.ofMillis(250);

  @TempDir Path dir;

  /** Writes, validates with xmllint, and reads back the single testcase's suite. */
  private TestCase roundTrip(TestCase c) {
    Path out = write(Report.of("r", List.of(TestSuite.of("s", List.of(c)))), new Redactor());
    List<TestSuite> back = JUnitReader.read(out);
    assertEquals(1, back.size());
    return back.get(0).cases().get(0);
  }

  private Path write(Report report, Redactor redactor) {
    return write(report, redactor, JUnitWriter.Options.DEFAULT);
  }

  private Path write(Report report, Redactor redactor, JUnitWriter.Options options) {
    Path out = dir.resolve("report-" + System.nanoTime() + ".xml");
    JUnitWriter.write(report, out, redactor, options);
    XmlLint.assertValid(out);
    return out;
  }

  @Test
  void escapesMarkupQuotesAndCdataEnd() {
    String nasty = "<a href=\"x\">&amp; 'q' ]]> <![CDATA[ x ]]> </system-out>";
    TestCase back =
        roundTrip(
            TestCase.failed("cls<&>", "name \"]]>\"", T, nasty, nasty)
                .withSystemOut(nasty)
                .withSystemErr(nasty));
    assertEquals("cls<&>", back.classname());
    assertEquals("name \"]]>\"", back.name());
    assertEquals(nasty, back.problems().get(0).message());
    assertEquals(nasty, back.problems().get(0).text());
    assertEquals(nasty, back.systemOut());
    assertEquals(nasty, back.systemErr());
  }

  @Test
  void controlCharactersBecomeReplacementCharacters() {
    String in = "a\u0000b\u0001c\u0007d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi\tj\nk";
    String want = "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\uFFFDi\tj\nk";
    TestCase back = roundTrip(TestCase.error("c", "n" + in, T, in, in).withSystemOut(in));
    assertEquals(want, back.systemOut());
    assertEquals(want, back.problems().get(0).text());
    // attribute values are flattened to one line, as XML parsers would normalize them anyway
    assertEquals("n" + want.replace('\t', ' ').replace('\n', ' '), back.name());
  }

  @Test
  void invalidUtf8AndLoneSurrogatesStayValid() throws IOException {
    String fromBadBytes =
        new String(new byte[] {'o', 'k', (byte) 0xC3, 0x28, (byte) 0xFF}, StandardCharsets.UTF_8);
    String in = fromBadBytes + "|hi\uD800x|lo\uDC00y|pair\uD83D\uDE00|end\uD83D";
    Path out =
        write(
            Report.of(
                "r",
                List.of(
                    TestSuite.of("s", List.of(TestCase.passed("c", "n", T).withSystemOut(in))))),
            new Redactor());
    // The file is strict UTF-8: the decoder throws on any malformed sequence.
    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(out)));
    String back = JUnitReader.read(out).get(0).cases().get(0).systemOut();
    assertEquals("ok\uFFFD(\uFFFD|hi\uFFFDx|lo\uFFFDy|pair\uD83D\uDE00|end\uFFFD", back);
  }

  @Test
  void ansiColourSequencesAreStripped() {
    TestCase back =
        roundTrip(TestCase.passed("c", "n", T).withSystemOut("\u001B[1;31mred\u001B[0m plain"));
    assertEquals("red plain", back.systemOut());
  }

  @Test
  void truncatesEachTextToTheLimitWithHeadTailAndMarker() {
    String big = "HEAD-" + "x".repeat(200_000) + "-TAIL";
    TestCase back =
        roundTrip(TestCase.failed("c", "n", T, "m", big).withSystemOut(big).withSystemErr(big));
    String problem = back.problems().get(0).text();
    assertTrue(problem.startsWith("m\nHEAD-"), "the message is the first line, kept whole");
    for (String s : List.of(back.systemOut(), back.systemErr(), problem.substring(2))) {
      assertTrue(s.startsWith("HEAD-"), s.substring(0, 20));
      assertTrue(s.endsWith("-TAIL"));
      assertTrue(s.contains("[... testrig: truncated "), "marker");
      assertTrue(s.length() < JUnitWriter.DEFAULT_MAX_TEXT_CHARS + 200, "length " + s.length());
    }
    assertTrue(back.systemOut().contains("characters of system-out"));
    assertTrue(back.problems().get(0).text().contains("characters of failure text"));
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00".repeat(1000);
    for (int max = 1; max < 20; max++) {
      String cut = XmlText.truncate(emoji, max, "x");
      assertEquals(XmlText.clean(cut), cut, "max " + max);
    }
  }

  @Test
  void keepsTheFileUnderTheSizeCapWithoutDroppingTestcases() {
    String out = "log line\n".repeat(6_000); // 54,000 characters per case
    List<TestCase> cases = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      cases.add(TestCase.failed("c", "t" + i, T, "m", out).withSystemOut(out).withSystemErr(out));
    }
    Report report = Report.of("r", List.of(TestSuite.of("s", cases)));
    JUnitWriter.Options options = new JUnitWriter.Options(65_536, 3_000_000, false);
    Path file = dir.resolve("capped.xml");
    JUnitWriter.Result r = JUnitWriter.write(report, file, new Redactor(), options);
    XmlLint.assertValid(file);
    assertTrue(r.bytes() <= 3_000_000, "bytes " + r.bytes());
    assertFalse(r.overLimits());
    assertTrue(r.textLimit() < 65_536 && r.textLimit() > 0, "limit " + r.textLimit());
    List<TestCase> back = JUnitReader.read(file).get(0).cases();
    assertEquals(400, back.size());
    assertTrue(back.get(399).systemOut().contains("testrig: truncated"));
  }

  @Test
  void defaultCapKeepsAHugeReportUnderGitLabs30MB() throws IOException {
    String out = "y".repeat(JUnitWriter.DEFAULT_MAX_TEXT_CHARS);
    List<TestCase> cases = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      cases.add(TestCase.error("c", "t" + i, T, "m", out).withSystemOut(out).withSystemErr(out));
    }
    Path file = dir.resolve("huge.xml");
    JUnitWriter.Result r =
        JUnitWriter.write(Report.of("r", List.of(TestSuite.of("s", cases))), file, new Redactor());
    assertEquals(Files.size(file), r.bytes());
    assertTrue(r.bytes() <= JUnitWriter.DEFAULT_MAX_BYTES, "bytes " + r.bytes());
    assertTrue(r.bytes() < 30_000_000L);
    assertEquals(300, r.totals().errors());
    XmlLint.assertValid(file);
  }

  @Test
  void whenEvenMarkersDoNotFitTheFileKeepsFailedCasesAndSaysSoInAnErrorTestcase() {
    List<TestCase> cases = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cases.add(TestCase.passed("c", "t" + i, T).withSystemOut("z".repeat(10_000)));
    }
    cases.add(TestCase.failed("c", "bad", T, "it broke", "z".repeat(10_000)));
    Path file = dir.resolve("tiny.xml");
    JUnitWriter.Result r =
        JUnitWriter.write(
            Report.of("r", List.of(TestSuite.of("s", cases))),
            file,
            new Redactor(),
            new JUnitWriter.Options(65_536, 4_000, false));
    XmlLint.assertValid(file);
    assertTrue(r.overLimits());
    assertTrue(r.bytes() <= 4_000, "bytes " + r.bytes());
    assertEquals(new Report.Totals(2, 1, 1, 0, r.totals().time()), r.totals());
    List<TestSuite> back = JUnitReader.read(file);
    assertEquals(
        "it broke", back.get(0).cases().get(0).problems().get(0).text().lines().findFirst().get());
    TestCase over = back.get(1).cases().get(0);
    assertEquals(JUnitWriter.OVER_LIMITS_NAME, over.name());
    assertTrue(
        over.problems()
            .get(0)
            .text()
            .startsWith("the report is over GitLab's limits (51 testcases"),
        over.problems().get(0).text());
  }

  @Test
  void redactsEverySecretFormInEveryTextAndAttribute() throws IOException {
    String secret = "Kx9/qz+Lm42vPw_7";
    Redactor redactor = new Redactor();
    redactor.add("password.db.app", secret);
    String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    String json = "Kx9\\/qz+Lm42vPw_7";
    List<String> forms = List.of(secret, b64, url, json);
    TestCase c =
        new TestCase(
                "cls " + secret,
                "name " + b64,
                "file/" + url,
                1,
                List.of(
                    new Problem(Problem.Kind.FAILURE, "msg " + json, "type " + secret, "t " + url),
                    new Problem(Problem.Kind.SKIPPED, "skip " + b64, null, "s " + json)),
                "out " + secret + " and " + b64,
                "err " + url + " and " + json,
                List.of())
            .withAttachment("logs/" + secret + ".log");
    TestSuite s =
        new TestSuite(
            "suite " + secret,
            "ts " + url,
            "host " + b64,
            Map.of("prop " + json, "DB_PASSWORD=" + secret),
            List.of(c),
            "suite out " + secret,
            "suite err " + b64);
    Report report = Report.of("report " + secret, List.of(s));
    for (boolean fileAttribute : List.of(false, true)) {
      Path out = dir.resolve("redacted-" + fileAttribute + ".xml");
      JUnitWriter.write(
          report,
          out,
          redactor,
          new JUnitWriter.Options(65_536, JUnitWriter.DEFAULT_MAX_BYTES, fileAttribute));
      if (!fileAttribute) {
        XmlLint.assertValid(out);
      }
      String xml = Files.readString(out);
      for (String f : forms) {
        assertFalse(xml.contains(f), "leaked form " + f + " in\n" + xml);
      }
      // each of the 21 places above (22 with the file attribute) shows the marker: the type is
      // no attribute but the text's first line, with the failure's and the skip's message, and
      // the skip is part of the one failure element (GitLab shows one)
      int markers = xml.split("MASKED password\\.db\\.app", -1).length - 1;
      assertEquals(fileAttribute ? 22 : 21, markers, xml);
      TestCase back = JUnitReader.read(out).get(0).cases().get(0);
      assertTrue(back.systemOut().startsWith("[[ATTACHMENT|logs/_MASKED password.db.app_.log]]"));
    }
  }

  @Test
  void attachmentLinesComeFirstAndSurviveTruncation() {
    String big = "z".repeat(300_000);
    TestCase back =
        roundTrip(
            TestCase.failed("c", "n", T, "m", null)
                .withSystemOut(big)
                .withAttachment("artifacts/logs/postgres.log")
                .withAttachment("artifacts/screens/n.png"));
    // GitLab's ATTACHMENT_TAG_REGEX, first match only (lib/gitlab/ci/parsers/test/junit.rb).
    Matcher m =
        Pattern.compile("\\[\\[ATTACHMENT\\|(?<path>[^\\[\\]\\|]+?)\\]\\]")
            .matcher(back.systemOut());
    assertTrue(m.find());
    assertEquals("artifacts/logs/postgres.log", m.group("path"));
    assertTrue(back.systemOut().contains("[[ATTACHMENT|artifacts/screens/n.png]]\nzzz"));
  }

  @Test
  void casesGitLabWouldKeyAlikeAreMadeUniqueOthersKeepTheirNames() {
    // GitLab keys a case by testsuite name, classname and name (lib/gitlab/ci/reports/
    // test_case.rb): only a repeat of all three would be dropped.
    Path out =
        write(
            Report.of(
                "r",
                List.of(
                    TestSuite.of("a", List.of(TestCase.passed("c", "same", T))),
                    TestSuite.of(
                        "b",
                        List.of(
                            TestCase.failed("c", "same", T, "x", null),
                            TestCase.passed("other", "same", T),
                            TestCase.passed("c", "same", T))))),
            new Redactor());
    List<TestSuite> back = JUnitReader.read(out);
    assertEquals("same", back.get(0).cases().get(0).name());
    assertEquals("same", back.get(1).cases().get(0).name());
    assertEquals("same", back.get(1).cases().get(1).name());
    assertEquals("same (2)", back.get(1).cases().get(2).name());
  }

  @Test
  void zeroTestcasesWriteAnErrorTestcase() {
    Path out = write(Report.of("r", List.of()), new Redactor());
    List<TestSuite> back = JUnitReader.read(out);
    assertEquals(1, back.size());
    TestCase c = back.get(0).cases().get(0);
    assertEquals("no testcases", c.name());
    assertEquals(TestCase.Status.ERROR, c.status());
  }

  @Test
  void countsAndTimesOnSuitesFollowTheSchema() throws IOException {
    Path out =
        write(
            Report.of(
                "r",
                List.of(
                    TestSuite.of(
                        "s",
                        List.of(
                            TestCase.passed("c", "a", Duration.ofMillis(1234567)),
                            TestCase.skipped("c", "b", "why"),
                            TestCase.failed("c", "d", Duration.ofNanos(1), "m", null))))),
            new Redactor());
    String xml = Files.readString(out);
    assertTrue(
        xml.contains(
            "<testsuite name=\"s\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""
                + " time=\"1234.567\""),
        xml);
    assertTrue(xml.contains("<testcase classname=\"c\" name=\"b\">"), "no time when unknown");
    assertEquals("0.000", JUnitWriter.seconds(Double.NaN));
    assertEquals("0.000", JUnitWriter.seconds(-3));
    assertEquals("12.346", JUnitWriter.seconds(12.3456));
  }

  @Test
  void testcaseFileAttributeOnlyOnRequestBecauseTheXsdRejectsIt() throws IOException {
    TestCase c = TestCase.passed("c", "n", T).withFile("tests/test_db.py");
    Report report = Report.of("r", List.of(TestSuite.of("s", List.of(c))));
    Path plain = write(report, new Redactor());
    assertFalse(Files.readString(plain).contains("file="));
    Path withFile = dir.resolve("file.xml");
    JUnitWriter.write(
        report,
        withFile,
        new Redactor(),
        new JUnitWriter.Options(1024, JUnitWriter.DEFAULT_MAX_BYTES, true));
    assertTrue(Files.readString(withFile).contains("file=\"tests/test_db.py\""));
    assertEquals("tests/test_db.py", JUnitReader.read(withFile).get(0).cases().get(0).file());
    Exec.Result lint =
        new Exec()
            .run(
                List.of(
                    "xmllint", "--noout", "--schema", XmlLint.XSD.toString(), withFile.toString()),
                Duration.ofSeconds(60));
    assertFalse(lint.ok(), "junit-10.xsd unexpectedly allows testcase/@file");
    assertTrue(lint.stderr().contains("file"), lint.stderr());
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTempFile() throws IOException {
    Path out = dir.resolve("sub/dir/out.xml");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "old");
    JUnitWriter.write(
        Report.of("r", List.of(TestSuite.of("s", List.of(TestCase.passed("c", "n", T))))),
        out,
        null);
    XmlLint.assertValid(out);
    try (var list = Files.list(out.getParent())) {
      assertEquals(List.of(out), list.toList());
    }
    assertNull(JUnitReader.read(out).get(0).cases().get(0).systemOut());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
  }
}

package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JUnitReaderTest {
  static final Path FIXTURES = Path.of("src/test/resources/junit");

  @TempDir Path dir;

  private static List<TestSuite> fixture(String name) {
    return JUnitReader.read(FIXTURES.resolve(name));
  }

  private static TestCase only(List<TestSuite> suites, String name) {
    return suites.stream()
        .flatMap(s -> s.cases().stream())
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no testcase " + name));
  }

  @Test
  void pytest() {
    List<TestSuite> s = fixture("pytest.xml");
    assertEquals(1, s.size());
    assertEquals("pytest", s.get(0).name());
    assertEquals("runner-7", s.get(0).hostname());
    assertEquals(new Report.Totals(4, 1, 1, 1, 0.141), round(s.get(0).totals()));
    TestCase f = only(s, "test_rejects_plain");
    assertEquals("tests.test_db", f.classname());
    assertEquals(
        "AssertionError: assert 'SSL' in 'plain connection'", f.problems().get(0).message());
    assertTrue(f.problems().get(0).text().contains(">       assert \"SSL\" in conn.info"));
    assertTrue(f.systemOut().contains("connecting to postgres:5432"));
    assertEquals("pytest.skip", only(s, "test_replica").problems().get(0).type());
    assertEquals(TestCase.Status.ERROR, only(s, "test_schema").status());
  }

  @Test
  void surefireWithBareTestsuiteRootPropertiesAndFlakyRerun() {
    List<TestSuite> s = fixture("TEST-io.example.shop.CartTest.xml");
    assertEquals(1, s.size());
    assertEquals("io.example.shop.CartTest", s.get(0).name());
    assertEquals("17.0.15", s.get(0).properties().get("java.version"));
    assertEquals(new Report.Totals(3, 1, 0, 0, 1204.532), round(s.get(0).totals()));
    TestCase f = only(s, "appliesDiscount");
    assertEquals("expected: <90> but was: <100>", f.problems().get(0).message());
    assertEquals("org.opentest4j.AssertionFailedError", f.problems().get(0).type());
    assertEquals("discount rule loaded: SUMMER10\n", f.systemOut());
    // passed on rerun: a flakyFailure is not a failure
    assertEquals(TestCase.Status.PASSED, only(s, "checksOut").status());
  }

  @Test
  void junitConsoleLauncher() {
    List<TestSuite> s = fixture("TEST-junit-jupiter.xml");
    assertEquals("JUnit Jupiter", s.get(0).name());
    assertEquals(new Report.Totals(3, 1, 0, 1, 0.040), round(s.get(0).totals()));
    assertEquals("io.example.ConfigTest", only(s, "rejectsUnknownKey()").classname());
    assertTrue(
        only(s, "windowsPaths()")
            .problems()
            .get(0)
            .text()
            .contains("io.example.ConfigTest.windowsPaths() is"));
    assertTrue(s.get(0).systemOut().contains("display-name: JUnit Jupiter"));
  }

  @Test
  void goJunitReportWithTwoSuites() {
    List<TestSuite> s = fixture("go-junit-report.xml");
    assertEquals(
        List.of("example.com/api/store", "example.com/api/handler"),
        s.stream().map(TestSuite::name).toList());
    assertEquals(
        "    store_test.go:41: got \"b\", want \"a\"", only(s, "TestGet").problems().get(0).text());
    assertEquals(TestCase.Status.SKIPPED, only(s, "TestMetrics").status());
    assertEquals("go1.22.2 linux/amd64", s.get(0).properties().get("go.version"));
    assertEquals(new Report.Totals(4, 1, 0, 1, 0.011), round(Report.of("r", s).totals()));
  }

  @Test
  void jestJunitFailureWithoutMessage() {
    List<TestSuite> s = fixture("jest-junit.xml");
    TestCase f = only(s, "checkout flow pays with card");
    assertNull(f.problems().get(0).message());
    assertTrue(f.problems().get(0).text().startsWith("Error: expect(received).toBe(expected)"));
    assertEquals(TestCase.Status.SKIPPED, only(s, "checkout flow refunds").status());
    assertEquals(new Report.Totals(3, 1, 0, 1, 1.202), round(s.get(0).totals()));
  }

  @Test
  void everyFixtureMergesIntoOneValidReport() {
    Report r = JUnitReader.readAll("all", List.of(FIXTURES));
    // 4 pytest + 3 surefire + 3 console + 4 go + 3 jest + the truncated file's 1 case + its error
    assertEquals(19, r.totals().tests());
    Path out = dir.resolve("all.xml");
    JUnitWriter.write(r, out, new Redactor());
    XmlLint.assertValid(out);
    assertEquals(19, Report.of("back", JUnitReader.read(out)).totals().tests());
  }

  @Test
  void truncatedFileKeepsWhatWasReadAndAddsAnErrorNamingTheFile() {
    Path file = FIXTURES.resolve("truncated.xml");
    List<TestSuite> s = JUnitReader.read(file);
    assertEquals(2, s.size());
    assertEquals("one", s.get(0).cases().get(0).name());
    TestCase err = s.get(1).cases().get(0);
    assertEquals(JUnitReader.READ_ERROR_CLASSNAME, err.classname());
    assertEquals("read " + file, err.name());
    String msg = err.problems().get(0).message();
    assertTrue(msg.startsWith("malformed JUnit XML " + file + ": line 5"), msg);
    assertFalse(msg.contains("\n"));
  }

  @Test
  void missingEmptyAndForeignFilesBecomeErrorTestcases() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.xml"));
    Path html = Files.writeString(dir.resolve("index.xml"), "<html><body>502</body></html>");
    Path text = Files.writeString(dir.resolve("log.xml"), "FAILED tests/test_x.py");
    Path missing = dir.resolve("nope.xml");
    for (Path p : List.of(empty, html, text, missing, dir)) {
      List<TestSuite> s = JUnitReader.read(p);
      assertEquals(1, s.size(), p.toString());
      TestCase c = s.get(0).cases().get(0);
      assertEquals(TestCase.Status.ERROR, c.status());
      assertTrue(c.problems().get(0).message().contains(p.toString()), c.toString());
    }
    assertTrue(
        JUnitReader.read(html)
            .get(0)
            .cases()
            .get(0)
            .problems()
            .get(0)
            .message()
            .contains("root element <html> is neither <testsuites> nor <testsuite>"));
  }

  @Test
  void externalEntitiesAreNeverResolved() throws IOException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
    Path xxe =
        Files.writeString(
            dir.resolve("xxe.xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM \""
                + secret.toUri()
                + "\">]>\n<testsuite name=\"s\" tests=\"1\"><testcase classname=\"c\""
                + " name=\"n\"><system-out>&xxe;</system-out></testcase></testsuite>");
    List<TestSuite> s = JUnitReader.read(xxe);
    assertFalse(s.toString().contains("TOP-SECRET-CONTENT"), s.toString());
    // The DOCTYPE's internal part is read (GitLab reads such files too); the external entity is
    // never fetched and its reference comes out empty.
    assertEquals("", s.get(0).cases().get(0).systemOut());
    assertEquals(TestCase.Status.PASSED, s.get(0).cases().get(0).status());
  }

  @Test
  void invalidUtf8AndRawControlCharactersAreReadLeniently() throws IOException {
    byte[] head =
        "<testsuite name=\"s\"><testcase classname=\"c\" name=\"n\"><failure>bad "
            .getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xC3, 0x28, 0x1B, '[', '3', '1', 'm', 'r', 'e', 'd', 0x07};
    byte[] tail = "</failure></testcase></testsuite>".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bad, 0, all, head.length, bad.length);
    System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
    Path file = Files.write(dir.resolve("jest-raw.xml"), all);
    List<TestSuite> s = JUnitReader.read(file);
    assertEquals(1, s.size());
    TestCase c = s.get(0).cases().get(0);
    assertEquals(TestCase.Status.FAILED, c.status());
    assertEquals("bad \uFFFD(red\uFFFD", c.problems().get(0).text());
  }

  @Test
  void byteOrderMarkAndControlCharactersTogether() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body =
        "<?xml version=\"1.0\"?><testsuite name=\"s\"><testcase name=\"n\"><system-out>a\u0001b</system-out></testcase></testsuite>"
            .getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    Path file = Files.write(dir.resolve("bom.xml"), all);
    assertEquals("a\uFFFDb", JUnitReader.read(file).get(0).cases().get(0).systemOut());
  }

  @Test
  void hugeTextIsBoundedWhileReading() throws IOException {
    Path file = dir.resolve("huge.xml");
    try (var w = Files.newBufferedWriter(file)) {
      w.write("<testsuite name=\"s\"><testcase classname=\"c\" name=\"n\"><system-out>START");
      String chunk = "a".repeat(1 << 20);
      for (int i = 0; i < 12; i++) {
        w.write(chunk);
      }
      w.write("END</system-out></testcase></testsuite>");
    }
    String out = JUnitReader.read(file).get(0).cases().get(0).systemOut();
    assertTrue(out.length() <= JUnitReader.MAX_READ_TEXT_CHARS + 100, "" + out.length());
    assertTrue(out.startsWith("START") && out.endsWith("END"));
    assertTrue(out.contains("characters while reading"));
  }

  @Test
  void nestedSuitesAreFlattenedAndCasesUnderTheRootGetASuite() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("phpunit.xml"),
            "<testsuites><testsuite name=\"outer\"><testsuite name=\"inner\">"
                + "<testcase name=\"a\"/></testsuite><testcase classname=\"o\" name=\"b\"/>"
                + "</testsuite><testcase name=\"loose\"/></testsuites>");
    List<TestSuite> s = JUnitReader.read(file);
    assertEquals(
        List.of("inner", "outer", "phpunit.xml"), s.stream().map(TestSuite::name).toList());
    assertEquals("inner", s.get(0).cases().get(0).classname(), "classname defaults to suite");
  }

  @Test
  void surefireTimesWithThousandsSeparators() {
    assertEquals(1234.5, JUnitReader.time("1,234.5"));
    assertEquals(-1, JUnitReader.time("n/a"));
    assertEquals(-1, JUnitReader.time(null));
    assertEquals(-1, JUnitReader.time("-2"));
  }

  private static Report.Totals round(Report.Totals t) {
    return new Report.Totals(
        t.tests(), t.failures(), t.errors(), t.skipped(), Math.round(t.time() * 1000) / 1000.0);
  }

  @Test
  void timesWithUnitsGroupingOrADecimalCommaParse() {
    assertEquals(12.0, JUnitReader.time("12s"), 1e-9);
    assertEquals(1200.5, JUnitReader.time("1,200.5"), 1e-9);
    assertEquals(1234567.0, JUnitReader.time("1,234,567"), 1e-9);
    assertEquals(1.5, JUnitReader.time("1,5"), 1e-9);
    assertEquals(0.25, JUnitReader.time("250ms"), 1e-9);
    assertEquals(62.5, JUnitReader.time("1m2.5s"), 1e-9);
    assertEquals(0.001, JUnitReader.time(" 0.001 "), 1e-9);
    assertEquals(-1, JUnitReader.time("soon"));
    assertEquals(-1, JUnitReader.time("-3"));
    assertEquals(-1, JUnitReader.time("12 34"));
  }
}

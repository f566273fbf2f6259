package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.report.JUnitReader;
import io.testrig.report.Report;
import io.testrig.report.XmlLint;
import io.testrig.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMergeCommandTest {
  private static final Path FIXTURES = Path.of("src/test/resources/junit");
  private static final Path EXAMPLES = Path.of("examples/reports");

  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("report", "merge"));
    all.addAll(List.of(args));
    return cli.run(all);
  }

  @Test
  void mergesEveryToolsFormatAndExitsOneOnFailures() {
    Path o = dir.resolve("merged.xml");
    int code =
        run(
            "-o",
            o.toString(),
            FIXTURES.resolve("pytest.xml").toString(),
            FIXTURES.resolve("TEST-io.example.shop.CartTest.xml").toString(),
            FIXTURES.resolve("TEST-junit-jupiter.xml").toString(),
            FIXTURES.resolve("go-junit-report.xml").toString(),
            FIXTURES.resolve("jest-junit.xml").toString());
    assertEquals(1, code, cli.err());
    XmlLint.assertValid(o);
    Report.Totals t = Report.of("r", JUnitReader.read(o)).totals();
    assertEquals(new Report.Totals(17, 5, 1, 4, t.time()), t);
    assertTrue(cli.out().startsWith(o + ": 17 tests, 5 failed, 1 errors, 4 skipped"), cli.out());
    assertEquals("", cli.err());
  }

  @Test
  void allPassedExitsZero() throws IOException {
    Path a =
        Files.writeString(
            dir.resolve("a.xml"),
            "<testsuite name=\"a\" tests=\"1\"><testcase classname=\"c\" name=\"ok\"/></testsuite>");
    Path o = dir.resolve("out.xml");
    assertEquals(0, run(a.toString(), "-o", o.toString()), cli.err());
    XmlLint.assertValid(o);
  }

  @Test
  void theReadmeExampleWorks() {
    Path o = dir.resolve("example.xml");
    int code =
        run(
            EXAMPLES.resolve("api-pytest.xml").toString(),
            EXAMPLES.resolve("web-jest.xml").toString(),
            "-o",
            o.toString());
    assertEquals(1, code, cli.err());
    XmlLint.assertValid(o);
    assertTrue(cli.out().contains(": 5 tests, 1 failed, 0 errors, 1 skipped"), cli.out());
  }

  @Test
  void malformedInputIsAnErrorTestcaseNamingTheFile() {
    Path o = dir.resolve("out.xml");
    Path bad = FIXTURES.resolve("truncated.xml");
    assertEquals(
        1, run("-o", o.toString(), bad.toString(), FIXTURES.resolve("jest-junit.xml").toString()));
    XmlLint.assertValid(o);
    assertTrue(cli.err().startsWith("testrig: malformed JUnit XML " + bad + ": line 5"), cli.err());
    assertTrue(
        JUnitReader.read(o).stream()
            .flatMap(s -> s.cases().stream())
            .anyMatch(c -> c.name().equals("read " + bad)));
  }

  @Test
  void zeroTestcasesIsAnErrorNotAGreenReport() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.xml"), "<testsuites/>");
    Path o = dir.resolve("out.xml");
    assertEquals(1, run("-o", o.toString(), empty.toString()));
    XmlLint.assertValid(o);
    assertTrue(cli.out().contains("1 tests, 0 failed, 1 errors"), cli.out());
    assertEquals("no testcases", JUnitReader.read(o).get(0).cases().get(0).name());
  }

  @Test
  void secretsFromAConfigJsonAreMaskedInTheReportAndOnTheConsole() throws IOException {
    String secret = "Zq7-hunter2-Xy9";
    Path config =
        Files.writeString(
            dir.resolve("config.json"), "{\"password\": {\"db\": {\"app\": \"" + secret + "\"}}}");
    Path leak =
        Files.writeString(
            dir.resolve("leak.xml"),
            "<testsuite name=\"s\"><testcase classname=\"c\" name=\"login "
                + secret
                + "\">"
                + "<failure message=\"bad password "
                + secret
                + "\">psql -W "
                + secret
                + "</failure></testcase></testsuite>");
    Path o = dir.resolve("out.xml");
    assertEquals(1, run("--secrets", config.toString(), "-o", o.toString(), leak.toString()));
    String xml = Files.readString(o);
    assertFalse(xml.contains(secret), xml);
    assertTrue(xml.contains("login [MASKED password.db.app]"), xml);
    assertFalse(cli.out().contains(secret) || cli.err().contains(secret));
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertEquals(2, run(FIXTURES.resolve("pytest.xml").toString()));
    assertTrue(cli.err().contains("Missing required option: '--output=OUT'"), cli.err());
    assertEquals(2, run("-o", dir.resolve("x.xml").toString()));
    Path notJson = Files.writeString(dir.resolve("config.json"), "not json");
    assertEquals(
        2,
        run(
            "--secrets",
            notJson.toString(),
            "-o",
            dir.resolve("y.xml").toString(),
            FIXTURES.resolve("pytest.xml").toString()));
    assertTrue(cli.err().contains("cannot read secrets file " + notJson), cli.err());
    assertFalse(Files.exists(dir.resolve("y.xml")));
    assertEquals(
        2,
        run(
            "--max-output-chars",
            "2000000",
            "-o",
            dir.resolve("z.xml").toString(),
            FIXTURES.resolve("pytest.xml").toString()));
    assertTrue(cli.err().contains("--max-output-chars must be between 0 and 1048576"));
  }

  @Test
  void anOutputBelowARegularFileIsBadInput() throws IOException {
    // Not a missing name in a real directory (issue 7 item 1): the user's path is wrong, exit 2.
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path target = file.resolve("sub/out.xml");
    int code = run("-o", target.toString(), FIXTURES.resolve("pytest.xml").toString());
    assertEquals(2, code, cli.err());
    assertEquals(
        "testrig: report " + target + ": " + file + " is a regular file, not a directory\n",
        cli.err());
  }

  @Test
  void reportWithoutSubcommandIsAUsageError() {
    assertEquals(2, cli.run("report"));
    assertTrue(cli.err().contains("missing subcommand"), cli.err());
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void anOutputThatIsADeviceOrFifoIsRefusedAndLeftAlone() {
    // Issue 7 item 1: the merged report was renamed over whatever -o named.
    Path dev = io.testrig.core.SpecialFiles.charDevice(dir.resolve("null"));
    Path fifo = io.testrig.core.SpecialFiles.fifo(dir.resolve("pipe"));
    for (Path special : List.of(dev, fifo)) {
      int code = run("-o", special.toString(), EXAMPLES.resolve("api-pytest.xml").toString());
      assertEquals(2, code, cli.err());
      assertTrue(cli.err().contains("testrig: report " + special + ": is a "), cli.err());
      assertTrue(io.testrig.core.SpecialFiles.stillSpecial(special), special + " replaced");
    }
  }
}

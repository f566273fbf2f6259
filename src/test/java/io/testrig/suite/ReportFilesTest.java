package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
  static final String SECRET = "s3cret-Value-9876";
  @TempDir Path tmp;

  Redactor redactor() {
    Redactor r = new Redactor();
    r.add("password.db", SECRET);
    return r;
  }

  /** A tar shaped like the engine's archive of /reports: the directory, then its files. */
  static byte[] tar(Object... nameAndContent) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(buf)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      t.putArchiveEntry(new TarArchiveEntry("reports/"));
      t.closeArchiveEntry();
      for (int i = 0; i < nameAndContent.length; i += 2) {
        byte[] data =
            nameAndContent[i + 1] instanceof byte[] b
                ? b
                : ((String) nameAndContent[i + 1]).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry((String) nameAndContent[i]);
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
    }
    return buf.toByteArray();
  }

  @Test
  void extractsXmlBelowTheCopiedDirectoryAndSkipsTheRest() throws IOException {
    String longName = "reports/" + "deep/".repeat(30) + "TEST-long.xml";
    byte[] tar =
        tar(
            "reports/TEST-a.xml",
            "<testsuite/>",
            "reports/sub/TEST-b.XML",
            "<testsuite name='b'/>",
            "reports/notes.txt",
            "not a report",
            longName,
            "<testsuite name='long'/>");
    List<Path> files = ReportFiles.extractXml(new ByteArrayInputStream(tar), tmp, redactor());

    assertEquals(
        List.of(
            tmp.resolve("TEST-a.xml"),
            tmp.resolve(longName.substring("reports/".length())),
            tmp.resolve("sub/TEST-b.XML")),
        files);
    assertEquals("<testsuite/>", Files.readString(tmp.resolve("TEST-a.xml")));
    assertFalse(Files.exists(tmp.resolve("notes.txt")));
  }

  @Test
  void entriesEscapingTheDestinationAreSkipped() throws IOException {
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    byte[] tar = tar("reports/../../evil.xml", "<x/>", "reports/ok.xml", "<x/>");
    List<Path> files = ReportFiles.extractXml(new ByteArrayInputStream(tar), dest, redactor());
    assertEquals(List.of(dest.resolve("ok.xml")), files);
    assertFalse(Files.exists(tmp.resolve("evil.xml")));
  }

  @Test
  void secretsInReportsAreMasked() throws IOException {
    byte[] tar = tar("reports/t.xml", "<system-out>pw=" + SECRET + "</system-out>");
    Path f = ReportFiles.extractXml(new ByteArrayInputStream(tar), tmp, redactor()).get(0);
    assertEquals("<system-out>pw=[MASKED password.db]</system-out>", Files.readString(f));
  }

  @Test
  void bytesThatAreNotUtf8StayAsTheyAreWhenNoSecretIsInThem() throws IOException {
    byte[] raw = {'<', 'a', '>', (byte) 0xff, (byte) 0xfe, '<', '/', 'a', '>'};
    Path f =
        ReportFiles.extractXml(new ByteArrayInputStream(tar("reports/x.xml", raw)), tmp, redactor())
            .get(0);
    assertArrayEquals(raw, Files.readAllBytes(f), "the report reader names it as malformed");
  }

  @Test
  void localReportsAreCollectedAndRedactedInPlace() throws IOException {
    Files.createDirectories(tmp.resolve("nested"));
    Files.writeString(tmp.resolve("nested/TEST-x.xml"), "<a>" + SECRET + "</a>");
    Files.writeString(tmp.resolve("output.log"), "log");
    List<Path> files = ReportFiles.collectLocal(tmp, redactor());
    assertEquals(List.of(tmp.resolve("nested/TEST-x.xml")), files);
    assertEquals("<a>[MASKED password.db]</a>", Files.readString(files.get(0)));
    assertEquals(List.of(), ReportFiles.collectLocal(tmp.resolve("missing"), redactor()));
  }

  @Test
  void aLinkedReportInTheArtifactDirectoryIsRefusedNotWrittenThrough() throws IOException {
    // Issue 7 item 1: every path testrig writes must be a regular file; masking in place used to
    // rewrite whatever the link pointed at.
    Path outside = Files.writeString(tmp.resolve("outside.xml"), "<a>" + SECRET + "</a>");
    Path reports = Files.createDirectories(tmp.resolve("reports"));
    Files.createSymbolicLink(reports.resolve("TEST-x.xml"), outside);
    TestrigException e =
        assertThrows(TestrigException.class, () -> ReportFiles.collectLocal(reports, redactor()));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
    assertEquals("<a>" + SECRET + "</a>", Files.readString(outside));
  }
}

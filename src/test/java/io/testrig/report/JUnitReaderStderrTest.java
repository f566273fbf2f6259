package io.testrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7, item 15: the JDK's XML parser printed "[Fatal Error] ..." to System.err for a malformed
 * UTF-8 byte, a second stderr line beside testrig's own. Found by InputFuzzTest.
 */
class JUnitReaderStderrTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\" encoding=\"ut\u00ff-8\"?>",
        "",
      })
  void malformedUtf8PrintsNothingOnSystemErr(String declaration) throws Exception {
    Path f = dir.resolve("bad.xml");
    byte[] head =
        (declaration + "<testsuite name=\"s\"><testcase name=\"a").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"/></testsuite>".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xff;
    System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
    Files.write(f, bytes);
    ByteArrayOutputStream stray = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
    List<TestSuite> suites;
    try {
      suites = JUnitReader.read(f);
    } finally {
      System.setErr(saved);
    }
    assertEquals("", stray.toString(StandardCharsets.UTF_8));
    assertFalse(suites.isEmpty());
  }
}

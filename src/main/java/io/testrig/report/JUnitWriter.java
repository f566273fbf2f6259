package io.testrig.report;

import io.testrig.core.Redactor;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link Report} as JUnit XML that validates against junit-10.xsd (Jenkins xunit-plugin's
 * schema, ../shared/schemas/junit-10.xsd) and that GitLab's parser reads as intended.
 *
 * <p>What GitLab reads (lib/gitlab/ci/parsers/test/junit.rb,
 * https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/gitlab/ci/parsers/test/junit.rb): every
 * {@code testcase} under {@code testsuites/testsuite} (nested suites too), its {@code classname},
 * {@code name}, {@code file} and {@code time} attributes; the status from a {@code failure}, {@code
 * error} or {@code skipped} child (in that order), whose text it shows together with {@code
 * system-out} and {@code system-err}; and, for failed or errored cases only, the first {@code
 * [[ATTACHMENT|path]]} in system-out (ATTACHMENT_TAG_REGEX). The unit test reports docs
 * (https://docs.gitlab.com/ci/testing/unit_test_reports/) say a file must be "smaller than 30 MB"
 * and that of duplicate test names "only the first test is used".
 *
 * <p>So this writer: redacts every text and attribute with the run's {@link Redactor} before
 * anything else (a secret is never split by a cut); makes text XML-1.0-safe ({@link
 * XmlText#clean}); writes text as escaped character data, never CDATA, so {@code ]]>} needs no
 * special case; cuts each system-out, system-err and failure/error/skipped text to {@link
 * Options#maxTextChars()} (head and tail around a marker); writes attachment lines first in
 * system-out, outside the cut; renames duplicate classname+name pairs with a {@code " (2)"} suffix;
 * and, when the file would exceed {@link Options#maxBytes()}, halves the text limit until it fits
 * (down to nothing but the markers). It never drops a testcase, and a report without testcases gets
 * an error testcase ({@link Report#ensureNotEmpty()}).
 *
 * <p>junit-10.xsd has no {@code file} attribute on {@code testcase} although GitLab reads one; it
 * is written only with {@link Options#testcaseFileAttribute()}.
 */
public final class JUnitWriter {
  /** Default cap per system-out, system-err and failure text of one testcase, in characters. */
  public static final int DEFAULT_MAX_TEXT_CHARS = 64 * 1024;

  /**
   * Largest allowed text cap: well under half of {@link JUnitReader#MAX_READ_TEXT_CHARS}, so the
   * reader's cut (made before redaction) always falls in the part this writer cuts away.
   */
  public static final int MAX_TEXT_CHARS = 1024 * 1024;

  /** Cap for one attribute value (name, classname, message, ...), in characters. */
  public static final int MAX_ATTRIBUTE_CHARS = 4 * 1024;

  /**
   * Default file-size cap: 28 MiB (29,360,128 bytes), under GitLab's "smaller than 30 MB" whether
   * that means 30,000,000 bytes or 30 MiB.
   */
  public static final long DEFAULT_MAX_BYTES = 28L * 1024 * 1024;

  /** Below this, the next step of the size loop drops texts to their markers. */
  private static final int MIN_TEXT_CHARS = 256;

  /** Limits and switches of one write. */
  public record Options(int maxTextChars, long maxBytes, boolean testcaseFileAttribute) {
    public static final Options DEFAULT =
        new Options(DEFAULT_MAX_TEXT_CHARS, DEFAULT_MAX_BYTES, false);

    public Options {
      if (maxTextChars < 0 || maxTextChars > MAX_TEXT_CHARS || maxBytes <= 0) {
        throw new IllegalArgumentException(
            "text cap must be 0.." + MAX_TEXT_CHARS + " and the size cap positive");
      }
    }
  }

  /**
   * What a write did: file size, the per-text limit it settled on (smaller than requested when the
   * size cap forced it), whether the file still exceeds the cap (only with extreme numbers of
   * testcases), and the totals of the written report.
   */
  public record Result(long bytes, int textLimit, boolean overSizeLimit, Report.Totals totals) {}

  private JUnitWriter() {}

  /** Writes {@code report} to {@code out} with the default options. */
  public static Result write(Report report, Path out, Redactor redactor) {
    return write(report, out, redactor, Options.DEFAULT);
  }

  /**
   * Writes {@code report} to {@code out} atomically (a temporary file in the same directory, then a
   * rename), so a reader never sees half a report.
   */
  public static Result write(Report report, Path out, Redactor redactor, Options options) {
    Report prepared = prepare(report.ensureNotEmpty(), redactor);
    SafePaths.requireFileTarget(out, "report");
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, ".testrig-report-", ".xml.tmp");
      int limit = estimateLimit(prepared, options);
      long bytes;
      while (true) {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
          serialize(prepared, limit, options, os);
        }
        bytes = Files.size(tmp);
        if (bytes <= options.maxBytes() || limit == 0) {
          break;
        }
        limit = lower(limit); // the estimate was optimistic: one more, smaller pass
      }
      setReadable(tmp);
      try {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Result(bytes, limit, bytes > options.maxBytes(), prepared.totals());
    } catch (IOException e) {
      throw TestrigException.io("cannot write report " + out + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temp file is hidden and holds only redacted text
        }
      }
    }
  }

  /** The report holds no secret (redacted), and CI tools read it: rw-r--r--, not temp's 0600. */
  private static void setReadable(Path p) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static int lower(int limit) {
    return limit / 2 >= MIN_TEXT_CHARS ? limit / 2 : 0;
  }

  /**
   * The largest text limit (halving from the requested one) whose file should fit the size cap,
   * from one cheap pass with every text cut to its marker plus each text's escaped UTF-8 size, so a
   * big report is serialized about once instead of once per halving.
   */
  private static int estimateLimit(Report prepared, Options options) {
    CountingStream skeleton = new CountingStream();
    serialize(prepared, 0, options, skeleton);
    List<long[]> texts = new ArrayList<>(); // {chars, escaped bytes, bytes of the limit-0 marker}
    forEachText(
        prepared,
        (text, what) ->
            texts.add(
                new long[] {
                  text.length(), escapedBytes(text), XmlText.truncate(text, 0, what).length()
                }));
    for (int limit = options.maxTextChars(); ; limit = lower(limit)) {
      long estimate = skeleton.count;
      for (long[] t : texts) {
        estimate -= t[2];
        estimate += t[0] <= limit ? t[1] : t[1] * limit / t[0] + 100; // + the cut marker
      }
      if (estimate <= options.maxBytes() || limit == 0) {
        return limit;
      }
    }
  }

  /** Every text the limit applies to, with the name its truncation marker uses. */
  private static void forEachText(Report r, BiConsumer<String, String> visit) {
    for (TestSuite s : r.suites()) {
      for (TestCase c : s.cases()) {
        for (Problem p : c.problems()) {
          visitText(p.text(), p.kind().element() + " text", visit);
        }
        visitText(c.systemOut(), "system-out", visit);
        visitText(c.systemErr(), "system-err", visit);
      }
      visitText(s.systemOut(), "system-out", visit);
      visitText(s.systemErr(), "system-err", visit);
    }
  }

  private static void visitText(String text, String what, BiConsumer<String, String> visit) {
    if (text != null && !text.isEmpty()) {
      visit.accept(text, what);
    }
  }

  /** UTF-8 bytes of {@code s} as character data: {@code <} and {@code >} are 4, {@code &} 5. */
  static long escapedBytes(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<' || c == '>') {
        n += 4;
      } else if (c == '&') {
        n += 5;
      } else if (c < 0x80) {
        n += 1;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        n += 2; // a surrogate pair is 4 bytes, 2 per half
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Redacts and cleans every text and attribute once, and makes classname+name pairs unique. Texts
   * stay whole here; the cut happens while serializing, after redaction.
   */
  static Report prepare(Report report, Redactor redactor) {
    Redactor r = redactor == null ? new Redactor() : redactor;
    Map<String, Integer> seen = new HashMap<>();
    List<TestSuite> suites = new ArrayList<>();
    for (TestSuite s : report.suites()) {
      List<TestCase> cases = new ArrayList<>();
      for (TestCase c : s.cases()) {
        String classname = attr(r, c.classname());
        String name = attr(r, c.name());
        int n = seen.merge(classname + '\u0000' + name, 1, Integer::sum);
        if (n > 1) {
          name = name + " (" + n + ")";
        }
        List<Problem> problems = new ArrayList<>();
        for (Problem p : c.problems()) {
          problems.add(
              new Problem(p.kind(), attr(r, p.message()), attr(r, p.type()), text(r, p.text())));
        }
        List<String> attachments = new ArrayList<>();
        for (String a : c.attachments()) {
          // A redaction marker brings brackets, which GitLab's attachment regex refuses.
          attachments.add(attr(r, a).replaceAll("[\\[\\]|\\r\\n]", "_"));
        }
        cases.add(
            new TestCase(
                classname,
                name,
                attr(r, c.file()),
                c.time(),
                problems,
                text(r, c.systemOut()),
                text(r, c.systemErr()),
                attachments));
      }
      Map<String, String> props = new LinkedHashMap<>();
      s.properties().forEach((k, v) -> props.put(attr(r, k), attr(r, v)));
      suites.add(
          new TestSuite(
              attr(r, s.name()),
              attr(r, s.timestamp()),
              attr(r, s.hostname()),
              props,
              cases,
              text(r, s.systemOut()),
              text(r, s.systemErr())));
    }
    return new Report(attr(r, report.name()), suites);
  }

  private static String text(Redactor r, String s) {
    return s == null ? null : XmlText.clean(r.redact(s));
  }

  /**
   * Attribute values: parsers turn tab, CR and LF into spaces anyway (attribute-value
   * normalization, https://www.w3.org/TR/xml/#AVNormalize), so do it here, deterministically.
   */
  private static String attr(Redactor r, String s) {
    if (s == null) {
      return null;
    }
    String flat = text(r, s).replaceAll("\r\n|[\t\r\n]", " ");
    return XmlText.truncate(flat, MAX_ATTRIBUTE_CHARS, "this attribute");
  }

  private static void serialize(Report report, int limit, Options options, OutputStream os) {
    try {
      Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      Report.Totals all = report.totals();
      x.writeStartElement("testsuites");
      x.writeAttribute("name", report.name());
      x.writeAttribute("tests", Integer.toString(all.tests()));
      x.writeAttribute("failures", Integer.toString(all.failures()));
      x.writeAttribute("errors", Integer.toString(all.errors()));
      x.writeAttribute("time", seconds(all.time()));
      for (TestSuite s : report.suites()) {
        writeSuite(x, s, limit, options);
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.flush();
      x.close();
      w.flush();
    } catch (XMLStreamException | IOException e) {
      throw TestrigException.io("cannot serialize the JUnit report: " + e.getMessage(), e);
    }
  }

  private static void writeSuite(XMLStreamWriter x, TestSuite s, int limit, Options options)
      throws XMLStreamException {
    Report.Totals t = s.totals();
    x.writeCharacters("\n  ");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", s.name());
    x.writeAttribute("tests", Integer.toString(t.tests()));
    x.writeAttribute("failures", Integer.toString(t.failures()));
    x.writeAttribute("errors", Integer.toString(t.errors()));
    x.writeAttribute("skipped", Integer.toString(t.skipped()));
    x.writeAttribute("time", seconds(t.time()));
    if (s.timestamp() != null) {
      x.writeAttribute("timestamp", s.timestamp());
    }
    if (s.hostname() != null) {
      x.writeAttribute("hostname", s.hostname());
    }
    if (!s.properties().isEmpty()) {
      x.writeCharacters("\n    ");
      x.writeStartElement("properties");
      for (Map.Entry<String, String> p : s.properties().entrySet()) {
        x.writeCharacters("\n      ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", p.getKey());
        x.writeAttribute("value", p.getValue() == null ? "" : p.getValue());
      }
      x.writeCharacters("\n    ");
      x.writeEndElement();
    }
    for (TestCase c : s.cases()) {
      writeCase(x, c, limit, options);
    }
    textElement(x, "    ", "system-out", XmlText.truncate(s.systemOut(), limit, "system-out"));
    textElement(x, "    ", "system-err", XmlText.truncate(s.systemErr(), limit, "system-err"));
    x.writeCharacters("\n  ");
    x.writeEndElement();
  }

  private static void writeCase(XMLStreamWriter x, TestCase c, int limit, Options options)
      throws XMLStreamException {
    String out = XmlText.truncate(c.systemOut(), limit, "system-out");
    if (!c.attachments().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (String a : c.attachments()) {
        sb.append("[[ATTACHMENT|").append(a).append("]]\n");
      }
      out = out == null ? sb.toString() : sb.append(out).toString();
    }
    // A passed testcase is an empty element: no whitespace text for a parser to trip over.
    boolean empty = c.problems().isEmpty() && out == null && c.systemErr() == null;
    x.writeCharacters("\n    ");
    if (empty) {
      x.writeEmptyElement("testcase");
    } else {
      x.writeStartElement("testcase");
    }
    if (c.classname() != null) {
      x.writeAttribute("classname", c.classname());
    }
    x.writeAttribute("name", c.name());
    if (c.time() >= 0) {
      x.writeAttribute("time", seconds(c.time()));
    }
    if (options.testcaseFileAttribute() && c.file() != null) {
      x.writeAttribute("file", c.file());
    }
    for (Problem p : c.problems()) {
      x.writeCharacters("\n      ");
      x.writeStartElement(p.kind().element());
      if (p.message() != null) {
        x.writeAttribute("message", p.message());
      }
      if (p.type() != null) {
        x.writeAttribute("type", p.type());
      }
      if (p.text() != null) {
        x.writeCharacters(XmlText.truncate(p.text(), limit, p.kind().element() + " text"));
      }
      x.writeEndElement();
    }
    if (empty) {
      return;
    }
    textElement(x, "      ", "system-out", out);
    textElement(x, "      ", "system-err", XmlText.truncate(c.systemErr(), limit, "system-err"));
    x.writeCharacters("\n    ");
    x.writeEndElement();
  }

  private static void textElement(XMLStreamWriter x, String indent, String name, String text)
      throws XMLStreamException {
    if (text == null) {
      return;
    }
    x.writeCharacters("\n" + indent);
    x.writeStartElement(name);
    x.writeCharacters(text);
    x.writeEndElement();
  }

  /** Seconds with at most three decimals: junit-10.xsd's SUREFIRE_TIME pattern allows no more. */
  static String seconds(double s) {
    if (!(s >= 0) || Double.isInfinite(s)) {
      return "0.000";
    }
    return String.format(Locale.ROOT, "%.3f", s);
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}

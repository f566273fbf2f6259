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
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link Report} as JUnit XML that validates against junit-10.xsd (Jenkins xunit-plugin's
 * schema, ../shared/schemas/junit-10.xsd) and that GitLab's parser reads as intended.
 *
 * <p>What GitLab reads (lib/gitlab/ci/parsers/test/junit.rb,
 * https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/gitlab/ci/parsers/test/junit.rb, and
 * lib/gitlab/xml_converter.rb): the file, if under 30 MB, through Nokogiri and ActiveSupport's
 * XML-to-hash converter, which casts an element by its {@code type} attribute and makes an element
 * with text into that text but one without into a hash of its attributes; every {@code testcase}
 * under {@code testsuites/testsuite} (nested suites too), its {@code classname}, {@code name},
 * {@code file} and {@code time} attributes; the status from a {@code failure}, {@code error} or
 * {@code skipped} child (in that order), whose value it shows, with {@code system-out} and {@code
 * system-err} after a failure or error; for failed or errored cases the first {@code
 * [[ATTACHMENT|path]]} in system-out (ATTACHMENT_TAG_REGEX); one case per testsuite name, classname
 * and name (lib/gitlab/ci/reports/test_suite.rb); and at most the job's max_test_cases_per_report
 * testcases. Over a limit, or on any parse error, the whole job's report shows an error and no
 * test.
 *
 * <p>So this writer: redacts every text and attribute with the run's {@link Redactor} before
 * anything else (a secret is never split by a cut); makes text XML-1.0-safe ({@link
 * XmlText#clean}); writes text as escaped character data, never CDATA, so {@code ]]>} needs no
 * special case; writes no {@code type} attribute and puts each problem's message (and type) into
 * its text ({@link #shownText}); cuts each system-out, system-err and failure/error/skipped text to
 * {@link Options#maxTextChars()} (head and tail around a marker, the first line of a problem and
 * every attachment tag kept); writes testrig's attachment lines in system-out, outside the cut;
 * renames cases GitLab would key alike with a {@code " (2)"} suffix; when the file would exceed
 * {@link Options#maxBytes()}, lowers the cut for passed and skipped cases first, then for the rest,
 * down to nothing but the markers; and when even that does not fit, or there are more than {@link
 * Options#maxTestcases()} testcases, writes the failed and errored cases plus an error testcase
 * saying so ({@link #overLimits}). A report without testcases gets an error testcase ({@link
 * Report#ensureNotEmpty()}).
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

  /**
   * GitLab.com parses at most 500,000 testcases per report and fails the whole report above that
   * (max_test_cases_per_report, https://gitlab.com/gitlab-org/gitlab/-/merge_requests/44615 and
   * https://docs.gitlab.com/user/gitlab_com/#cicd); self-managed instances may set less.
   */
  public static final int DEFAULT_MAX_TESTCASES = 500_000;

  /** Classname and name of the error testcase that replaces a report over GitLab's limits. */
  public static final String OVER_LIMITS_NAME = "report over GitLab's limits";

  /** Below this, the next step of the size loop drops texts to their markers. */
  private static final int MIN_TEXT_CHARS = 256;

  /** Limits and switches of one write. */
  public record Options(
      int maxTextChars, long maxBytes, boolean testcaseFileAttribute, int maxTestcases) {
    public static final Options DEFAULT =
        new Options(DEFAULT_MAX_TEXT_CHARS, DEFAULT_MAX_BYTES, false, DEFAULT_MAX_TESTCASES);

    public Options {
      if (maxTextChars < 0 || maxTextChars > MAX_TEXT_CHARS || maxBytes <= 0 || maxTestcases < 1) {
        throw new IllegalArgumentException(
            "text cap must be 0.." + MAX_TEXT_CHARS + ", the size and testcase caps positive");
      }
    }

    public Options(int maxTextChars, long maxBytes, boolean testcaseFileAttribute) {
      this(maxTextChars, maxBytes, testcaseFileAttribute, DEFAULT_MAX_TESTCASES);
    }
  }

  /**
   * What a write did: file size; the per-text limits it settled on for failed and errored cases
   * ({@code textLimit}) and for passed and skipped ones and suite outputs ({@code
   * passedTextLimit}), smaller than requested when the size cap forced it, passed ones first;
   * whether the report was over GitLab's limits even with every text cut, so that the file holds
   * only its failed and errored testcases plus an error testcase saying so; and the totals of the
   * written file.
   */
  public record Result(
      long bytes, int textLimit, int passedTextLimit, boolean overLimits, Report.Totals totals) {}

  /** Text caps of one pass: {@code loud} for failed and errored cases, {@code quiet} for others. */
  record Limits(int loud, int quiet) {
    /** The next, smaller step: passed cases' outputs shrink first, to nothing, then the rest. */
    Limits next() {
      if (quiet > 0) {
        return new Limits(loud, lower(quiet));
      }
      return loud > 0 ? new Limits(lower(loud), 0) : null;
    }

    int of(TestCase c) {
      TestCase.Status s = c.status();
      return s == TestCase.Status.FAILED || s == TestCase.Status.ERROR ? loud : quiet;
    }
  }

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
      Limits limits = new Limits(0, 0);
      long bytes = Long.MAX_VALUE;
      if (prepared.totals().tests() <= options.maxTestcases()) {
        limits = estimateLimits(prepared, options);
        while (true) {
          bytes = serializeTo(tmp, prepared, limits, options);
          if (bytes <= options.maxBytes() || limits.next() == null) {
            break;
          }
          limits = limits.next(); // the estimate was optimistic: one more, smaller pass
        }
      }
      boolean over = bytes > options.maxBytes();
      Report written = prepared;
      if (over) {
        // GitLab would reject the whole file: write one it accepts, and say so in it.
        long size = bytes;
        written = overLimits(prepared, size == Long.MAX_VALUE ? -1 : size, options, true);
        limits = estimateLimits(written, options);
        bytes = serializeTo(tmp, written, limits, options);
        if (bytes > options.maxBytes() || written.totals().tests() > options.maxTestcases()) {
          written = overLimits(prepared, size == Long.MAX_VALUE ? -1 : size, options, false);
          bytes = serializeTo(tmp, written, limits, options);
        }
      }
      setReadable(tmp);
      try {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Result(bytes, limits.loud(), limits.quiet(), over, written.totals());
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

  private static long serializeTo(Path tmp, Report r, Limits limits, Options options)
      throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
      serialize(r, limits, options, os);
    }
    return Files.size(tmp);
  }

  /**
   * The report that stands in for one over GitLab's limits: its failed and errored testcases
   * ({@code withBad}) and an error testcase with the counts, so the job's report is never rejected
   * as a whole and never looks green.
   */
  static Report overLimits(Report full, long bytes, Options options, boolean withBad) {
    Report.Totals t = full.totals();
    List<TestCase> bad = new ArrayList<>();
    List<TestSuite> suites = new ArrayList<>();
    for (TestSuite s : full.suites()) {
      List<TestCase> keep = new ArrayList<>();
      for (TestCase c : s.cases()) {
        if (withBad && c.problems().stream().anyMatch(p -> p.kind() != Problem.Kind.SKIPPED)) {
          keep.add(c);
        }
      }
      bad.addAll(keep);
      if (!keep.isEmpty()) {
        suites.add(
            new TestSuite(s.name(), s.timestamp(), s.hostname(), Map.of(), keep, null, null));
      }
    }
    String message =
        String.format(
            Locale.ROOT,
            "the report is over GitLab's limits (%d testcases%s; GitLab takes at most %d"
                + " testcases and %d bytes per file), so this file %s",
            t.tests(),
            bytes < 0 ? "" : " in " + bytes + " bytes",
            options.maxTestcases(),
            options.maxBytes(),
            withBad
                ? "lists only its " + bad.size() + " failed and errored testcases"
                : "lists none of them");
    String details =
        String.format(
            Locale.ROOT,
            "%s%nall testcases: %d passed, %d failed, %d errors, %d skipped%n"
                + "the suites' own JUnit XML files in the artifacts hold every testcase",
            message,
            t.passed(),
            t.failures(),
            t.errors(),
            t.skipped());
    suites.add(
        TestSuite.of(
            Report.EMPTY_SUITE,
            List.of(
                TestCase.error(
                    TestCase.PHASE_CLASSNAME, OVER_LIMITS_NAME, null, message, details))));
    return new Report(full.name(), suites);
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
   * The largest limits (see {@link Limits#next}) whose file should fit the size cap, from one cheap
   * pass with every text cut to its marker plus each text's escaped UTF-8 size, so a big report is
   * serialized about once instead of once per step.
   */
  private static Limits estimateLimits(Report prepared, Options options) {
    CountingStream skeleton = new CountingStream();
    serialize(prepared, new Limits(0, 0), options, skeleton);
    // {chars, escaped bytes, bytes of the limit-0 marker, 1 when loud}
    List<long[]> texts = new ArrayList<>();
    forEachText(
        prepared,
        (text, what, loud) ->
            texts.add(
                new long[] {
                  text.length(),
                  escapedBytes(text),
                  XmlText.truncate(text, 0, what).length(),
                  loud ? 1 : 0
                }));
    int max = options.maxTextChars();
    for (Limits l = new Limits(max, max); ; l = l.next()) {
      long estimate = skeleton.count;
      for (long[] t : texts) {
        int limit = t[3] == 1 ? l.loud() : l.quiet();
        estimate -= t[2];
        estimate += t[0] <= limit ? t[1] : t[1] * limit / t[0] + 100; // + the cut marker
      }
      if (estimate <= options.maxBytes() || l.next() == null) {
        return l;
      }
    }
  }

  /** A text the limits apply to. */
  interface TextVisitor {
    void visit(String text, String what, boolean loud);
  }

  /** Every text the limit applies to, with the name its truncation marker uses. */
  private static void forEachText(Report r, TextVisitor visit) {
    for (TestSuite s : r.suites()) {
      for (TestCase c : s.cases()) {
        boolean loud = new Limits(1, 0).of(c) == 1;
        for (Problem p : c.problems()) {
          visitText(p.text(), p.kind().element() + " text", loud, visit);
        }
        visitText(c.systemOut(), "system-out", loud, visit);
        visitText(c.systemErr(), "system-err", loud, visit);
      }
      visitText(s.systemOut(), "system-out", false, visit);
      visitText(s.systemErr(), "system-err", false, visit);
    }
  }

  private static void visitText(String text, String what, boolean loud, TextVisitor visit) {
    if (text != null && !text.isEmpty()) {
      visit.visit(text, what, loud);
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
   * Redacts and cleans every text and attribute once, makes testcases unique the way GitLab keys
   * them, and puts each problem's message and type into its text. Texts stay whole here; the cut
   * happens while serializing, after redaction.
   */
  static Report prepare(Report report, Redactor redactor) {
    Redactor r = redactor == null ? new Redactor() : redactor;
    Map<String, Integer> seen = new HashMap<>();
    List<TestSuite> suites = new ArrayList<>();
    for (TestSuite s : report.suites()) {
      String suiteName = attr(r, s.name());
      List<TestCase> cases = new ArrayList<>();
      for (TestCase c : s.cases()) {
        cases.add(prepareCase(r, c, suiteName, seen));
      }
      Map<String, String> props = new LinkedHashMap<>();
      s.properties().forEach((k, v) -> props.put(attr(r, k), attr(r, v)));
      suites.add(
          new TestSuite(
              suiteName,
              attr(r, s.timestamp()),
              attr(r, s.hostname()),
              props,
              cases,
              text(r, s.systemOut()),
              text(r, s.systemErr())));
    }
    return new Report(attr(r, report.name()), suites);
  }

  private static TestCase prepareCase(
      Redactor r, TestCase c, String suiteName, Map<String, Integer> seen) {
    String classname = attr(r, c.classname());
    String name = attr(r, c.name());
    // GitLab keys a case by "<testsuite name>_<classname>_<name>" (lib/gitlab/ci/reports/
    // test_case.rb) and keeps one case per key and status: only such real collisions are renamed.
    int n = seen.merge(suiteName + '\u0000' + classname + '\u0000' + name, 1, Integer::sum);
    if (n > 1) {
      name = name + " (" + n + ")";
    }
    List<Problem> problems = new ArrayList<>();
    for (Problem p : c.problems()) {
      String message = attr(r, p.message());
      message = message == null || message.isBlank() ? null : message;
      // The message as the tool wrote it (line breaks kept) is what its text would repeat.
      String whole = message == null ? null : text(r, p.message());
      String shown = shownText(whole, attr(r, p.type()), text(r, p.text()));
      problems.add(new Problem(p.kind(), shown == null ? null : message, null, shown));
    }
    problems = oneProblem(problems);
    List<String> attachments = new ArrayList<>();
    StringBuilder outside = new StringBuilder();
    for (String a : c.attachments()) {
      // A redaction marker brings brackets, which GitLab's attachment regex refuses.
      String path = attr(r, a).replaceAll("[\\[\\]|\\r\\n]", "_");
      if (insideJob(path)) {
        attachments.add(path);
      } else {
        outside
            .append("testrig: ")
            .append(path)
            .append(" is outside the job's directory, so GitLab cannot link it as an attachment\n");
      }
    }
    String out = text(r, c.systemOut());
    if (!outside.isEmpty()) {
      out = out == null ? outside.toString() : outside + out;
    }
    return new TestCase(
        classname,
        name,
        attr(r, c.file()),
        c.time(),
        problems,
        out,
        text(r, c.systemErr()),
        attachments);
  }

  /**
   * One element for all of a case's problems: two elements of one kind become an array in
   * ActiveSupport's hash, which GitLab shows as {@code ["...", "..."]}, and of two kinds it shows
   * only the one that decides the status (failure, then error, then skipped). So the deciding kind
   * gets every text, its own first, each after a line naming its kind when there are several.
   */
  static List<Problem> oneProblem(List<Problem> problems) {
    if (problems.size() < 2) {
      return problems;
    }
    Problem.Kind kind = Problem.Kind.SKIPPED;
    for (Problem p : problems) {
      if (p.kind().ordinal() < kind.ordinal()) {
        kind = p.kind(); // FAILURE < ERROR < SKIPPED, GitLab's precedence
      }
    }
    List<Problem> ordered = new ArrayList<>();
    for (Problem.Kind k :
        List.of(kind, Problem.Kind.FAILURE, Problem.Kind.ERROR, Problem.Kind.SKIPPED)) {
      for (Problem p : problems) {
        if (p.kind() == k && !ordered.contains(p)) {
          ordered.add(p);
        }
      }
    }
    StringBuilder text = new StringBuilder();
    String message = null;
    for (Problem p : ordered) {
      if (message == null && p.kind() == kind) {
        message = p.message();
      }
      if (p.text() == null) {
        continue;
      }
      if (!text.isEmpty()) {
        text.append("\n\n[").append(p.kind().element()).append("]\n");
      }
      text.append(p.text());
    }
    String t = text.isEmpty() ? null : text.toString();
    return List.of(new Problem(kind, t == null ? null : message, null, t));
  }

  /**
   * GitLab serves an attachment from the job's artifacts, whose paths are relative to the project
   * directory the job uploads from (https://docs.gitlab.com/ci/yaml/#artifactspaths): an absolute
   * path or one that climbs out with {@code ..} can never resolve.
   */
  static boolean insideJob(String path) {
    if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
      return false;
    }
    try {
      Path p = Path.of(path).normalize();
      return !p.toString().isEmpty() && !p.startsWith("..");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * What GitLab shows for a failure, error or skipped element: only its text, never its {@code
   * message} or {@code type} attribute (ActiveSupport's converter makes an element with text into
   * that text; one without text becomes a hash of its attributes, shown as {@code
   * {"message"=>"..."}}). So the text starts with the message when it does not hold it already,
   * with the type (an exception class) in front when neither holds that: {@code type: message}.
   */
  static String shownText(String message, String type, String text) {
    String t = text == null || text.isBlank() ? null : text;
    String head = message != null && (t == null || !t.contains(message)) ? message : null;
    boolean typeKnown =
        type == null
            || type.isBlank()
            || (t != null && t.contains(type))
            || (message != null && message.contains(type));
    if (!typeKnown) {
      head = head == null ? type : type + ": " + head;
    }
    if (head == null) {
      return t;
    }
    return t == null ? head : head + "\n" + t;
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

  private static void serialize(Report report, Limits limit, Options options, OutputStream os) {
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

  private static void writeSuite(XMLStreamWriter x, TestSuite s, Limits limit, Options options)
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
      writeCase(x, c, limit.of(c), options);
    }
    textElement(
        x,
        "    ",
        "system-out",
        XmlText.truncateKeepingAttachments(s.systemOut(), limit.quiet(), "system-out"));
    textElement(
        x, "    ", "system-err", XmlText.truncate(s.systemErr(), limit.quiet(), "system-err"));
    x.writeCharacters("\n  ");
    x.writeEndElement();
  }

  private static void writeCase(XMLStreamWriter x, TestCase c, int limit, Options options)
      throws XMLStreamException {
    String out =
        withAttachments(c, XmlText.truncateKeepingAttachments(c.systemOut(), limit, "system-out"));
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
      String text = p.text() == null ? null : keepFirstLine(p.text(), limit, p.kind());
      if (text == null) {
        x.writeEmptyElement(p.kind().element()); // no message either (see prepare)
        continue;
      }
      x.writeStartElement(p.kind().element());
      if (p.message() != null) {
        x.writeAttribute("message", p.message());
      }
      // Never a "type" attribute: ActiveSupport's converter, which GitLab's parser reads the file
      // with, casts an element by it (integer, boolean, date, base64Binary, array...) or refuses
      // the whole report (yaml, symbol). The type is in the text instead (see prepare).
      x.writeCharacters(text);
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

  /**
   * The case's attachment lines and its (cut) system-out: GitLab links only the first tag of a
   * failed or errored case, so testrig's own (a suite or service log) come first unless the tool
   * wrote one itself (a screenshot says more than a log).
   */
  private static String withAttachments(TestCase c, String out) {
    if (c.attachments().isEmpty()) {
      return out;
    }
    StringBuilder sb = new StringBuilder();
    for (String a : c.attachments()) {
      sb.append("[[ATTACHMENT|").append(a).append("]]\n");
    }
    if (out == null) {
      return sb.toString();
    }
    return XmlText.ATTACHMENT.matcher(out).find() ? out + "\n" + sb : sb.append(out).toString();
  }

  /**
   * A problem text cut to {@code limit} but for its first line (the message, see {@link
   * #shownText}), which GitLab shows as the failure: it survives every cut, up to {@link
   * #MAX_ATTRIBUTE_CHARS}.
   */
  static String keepFirstLine(String text, int limit, Problem.Kind kind) {
    if (text.length() <= limit) {
      return text;
    }
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl);
    String rest = nl < 0 ? "" : text.substring(nl + 1);
    first = XmlText.truncate(first, MAX_ATTRIBUTE_CHARS, "the first line");
    String what = kind.element() + " text";
    return rest.isEmpty() ? first : first + "\n" + XmlText.truncate(rest, limit, what);
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

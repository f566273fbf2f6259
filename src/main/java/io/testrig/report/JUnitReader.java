package io.testrig.report;

import io.testrig.core.Text;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads JUnit XML as pytest, Surefire, the JUnit console launcher, go-junit-report and jest-junit
 * write it: a {@code <testsuites>} or a bare {@code <testsuite>} root, suites nested at any depth
 * (flattened), {@code failure}/{@code error}/{@code skipped}/{@code system-out}/{@code system-err}
 * per testcase. Surefire's {@code rerunFailure}/{@code flakyFailure} and every other element are
 * skipped: a flaky test that passed on rerun stays passed, as in Surefire's own summary.
 *
 * <p>Never throws for a bad file: a missing, unreadable or malformed file becomes an error testcase
 * naming the file and the parser's line and column, after the testcases read before the fault.
 * Invalid UTF-8, XML-illegal control characters and character references to characters XML forbids
 * ({@code &#27;} from ANSI colour codes) get a second, lenient pass (U+FFFD in their place, colour
 * codes dropped) that reads every testcase, before a file counts as malformed.
 *
 * <p>A DOCTYPE's internal entities are expanded (GitLab's parser, libxml2 through Nokogiri, reads
 * such files), within the JDK's expansion limits set lower here; external entities and external
 * DTDs are never fetched (XXE, OWASP XML External Entity Prevention Cheat Sheet): a reference to
 * one reads as nothing.
 */
public final class JUnitReader {
  /** Classname of the error testcases that stand for unreadable input files. */
  public static final String READ_ERROR_CLASSNAME = "testrig.report";

  /**
   * Cap per text element while reading, in characters (head and tail are kept). Far above the
   * writer's per-text limit, so the writer's own cut, made after redaction, always covers this one.
   */
  public static final int MAX_READ_TEXT_CHARS = 8 * 1024 * 1024;

  /**
   * A character reference: XML 1.0 forbids references to characters outside its {@code Char}
   * production (https://www.w3.org/TR/xml/#wf-Legalchar), yet tools write {@code &#27;} for ESC.
   */
  private static final Pattern CHAR_REF =
      Pattern.compile("&#(?:([0-9]{1,10})|x([0-9A-Fa-f]{1,8}));");

  /** Entity expansion bounds: far below the JDK's defaults, far above what a report needs. */
  private static final Map<String, String> ENTITY_LIMITS =
      Map.of(
          "jdk.xml.entityExpansionLimit", "10000",
          "jdk.xml.maxGeneralEntitySizeLimit", "1000000",
          "jdk.xml.totalEntitySizeLimit", "10000000",
          "jdk.xml.entityReplacementLimit", "1000000");

  /** Files above this size are not read into memory for the lenient second pass. */
  static final long MAX_LENIENT_BYTES = 256L * 1024 * 1024;

  private JUnitReader() {}

  /** Every suite of every file, in order; a directory stands for the *.xml files under it. */
  public static Report readAll(String reportName, List<Path> paths) {
    List<TestSuite> suites = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(p)) {
          files =
              s.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".xml"))
                  .sorted()
                  .toList();
        } catch (IOException | RuntimeException e) {
          suites.add(errorSuite(p, "cannot list directory " + p + ": " + e.getMessage()));
          continue;
        }
        for (Path f : files) {
          suites.addAll(read(f));
        }
      } else {
        suites.addAll(read(p));
      }
    }
    return new Report(reportName, suites);
  }

  /** The suites of one file; a fault becomes an error testcase naming {@code file}. */
  public static List<TestSuite> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of(
          errorSuite(file, "cannot read JUnit XML " + file + ": no such file or not a file"));
    }
    Parse strict = new Parse(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      strict.run(streamReader(in));
      return strict.suites;
    } catch (IOException e) {
      return withError(strict, file, "cannot read JUnit XML " + file + ": " + e);
    } catch (XMLStreamException | RuntimeException e) {
      String firstError = describe(e);
      String text = lenientText(file);
      if (text == null) {
        return withError(strict, file, "malformed JUnit XML " + file + ": " + firstError);
      }
      Parse lenient = new Parse(file);
      try {
        lenient.run(factory().createXMLStreamReader(new StringReader(text)));
        return lenient.suites;
      } catch (XMLStreamException | RuntimeException e2) {
        return withError(lenient, file, "malformed JUnit XML " + file + ": " + describe(e2));
      }
    }
  }

  /**
   * A reader for the strict pass. The JDK's parser prints "[Fatal Error] ..." straight to
   * System.err when it meets a malformed UTF-8 byte in a byte stream, a second stderr line beside
   * testrig's own (issue 7, item 15). So UTF-8 input (a UTF-8 BOM, no encoding declared, or UTF-8
   * declared) is decoded here, strictly, and the parser gets characters; a malformed byte is then
   * an ordinary exception. Other declared encodings stay with the parser.
   */
  private static XMLStreamReader streamReader(InputStream in)
      throws IOException, XMLStreamException {
    in.mark(512);
    byte[] head = in.readNBytes(512);
    in.reset();
    String ascii = new String(head, StandardCharsets.ISO_8859_1);
    boolean bom = ascii.startsWith("\u00EF\u00BB\u00BF");
    java.util.regex.Matcher declared =
        java.util.regex.Pattern.compile("^<\\?xml[^>]*encoding\\s*=\\s*[\"']([^\"']+)")
            .matcher(bom ? ascii.substring(3) : ascii);
    boolean utf8;
    if (bom) {
      utf8 = true;
    } else if (declared.find()) {
      // An encoding Java does not know is no better handled by the parser: read it as UTF-8.
      utf8 = declared.group(1).equalsIgnoreCase("UTF-8") || !supported(declared.group(1));
    } else {
      // No declaration: UTF-8 unless the first bytes say UTF-16 or UTF-32 (a BOM or zero bytes).
      utf8 = head.length < 2 || (head[0] != 0 && head[1] != 0 && (head[0] & 0xFF) < 0xFE);
    }
    if (!utf8) {
      return factory().createXMLStreamReader(in);
    }
    if (bom) {
      in.skipNBytes(3);
    }
    return factory().createXMLStreamReader(new java.io.InputStreamReader(in, Text.strictUtf8()));
  }

  private static boolean supported(String charset) {
    try {
      return java.nio.charset.Charset.isSupported(charset);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The file decoded as UTF-8 with replacement and made XML-1.0-safe, or null when pointless. */
  private static String lenientText(Path file) {
    try {
      if (Files.size(file) > MAX_LENIENT_BYTES) {
        return null;
      }
      byte[] bytes = Files.readAllBytes(file);
      Optional<String> strict = Text.utf8(bytes);
      boolean badBytes = strict.isEmpty();
      // Otherwise decoded with replacement: each bad byte becomes U+FFFD.
      String decoded = strict.orElseGet(() -> new String(bytes, StandardCharsets.UTF_8));
      String cleaned = XmlText.clean(illegalCharRefsToChars(decoded));
      // Same text as the strict pass saw: a second try would only repeat its error.
      if (!badBytes && cleaned.equals(decoded)) {
        return null;
      }
      // A byte-order mark is fine in a byte stream but not before <?xml in a character stream.
      return cleaned.startsWith("\uFEFF") ? cleaned.substring(1) : cleaned;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Replaces each reference to a character XML forbids with that character itself, which {@link
   * XmlText#clean} then drops (ANSI colour codes) or replaces with U+FFFD.
   */
  static String illegalCharRefsToChars(String s) {
    if (s.indexOf("&#") < 0) {
      return s;
    }
    Matcher m = CHAR_REF.matcher(s);
    return m.replaceAll(
        r -> {
          long v;
          try {
            v = r.group(1) != null ? Long.parseLong(r.group(1)) : Long.parseLong(r.group(2), 16);
          } catch (NumberFormatException e) {
            v = -1;
          }
          boolean legal =
              v == 0x9
                  || v == 0xA
                  || v == 0xD
                  || (v >= 0x20 && v <= 0xD7FF)
                  || (v >= 0xE000 && v <= 0xFFFD)
                  || (v >= 0x10000 && v <= 0x10FFFF);
          if (legal) {
            return Matcher.quoteReplacement(r.group());
          }
          return v >= 0 && v < 0xFFFF ? String.valueOf((char) v) : "\uFFFD";
        });
  }

  private static List<TestSuite> withError(Parse parse, Path file, String message) {
    parse.flushOpen();
    List<TestSuite> out = new ArrayList<>(parse.suites);
    out.add(errorSuite(file, message));
    return out;
  }

  static TestSuite errorSuite(Path file, String message) {
    String oneLine = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return TestSuite.of(
        file.toString(),
        List.of(TestCase.error(READ_ERROR_CLASSNAME, "read " + file, null, oneLine, null)));
  }

  private static String describe(Exception e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    msg = msg.replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
    if (e instanceof XMLStreamException x && x.getLocation() != null) {
      return "line "
          + x.getLocation().getLineNumber()
          + ", column "
          + x.getLocation().getColumnNumber()
          + ": "
          + msg.strip();
    }
    return msg.strip();
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, true); // internal entities only, see below
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    // The JDK's StAX parser: skip an external DTD subset instead of failing on the refused access.
    f.setProperty("http://java.sun.com/xml/stream/properties/ignore-external-dtd", true);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    ENTITY_LIMITS.forEach(f::setProperty);
    return f;
  }

  /** One pass over one document; {@link #suites} holds what was read, also after a fault. */
  private static final class Parse {
    final Path file;
    final List<TestSuite> suites = new ArrayList<>();
    final Deque<SuiteBuilder> open = new ArrayDeque<>();

    Parse(Path file) {
      this.file = file;
    }

    void run(XMLStreamReader x) throws XMLStreamException {
      try {
        boolean root = true;
        while (x.hasNext()) {
          int ev = x.next();
          if (ev == XMLStreamConstants.START_ELEMENT) {
            String el = x.getLocalName();
            if (root) {
              root = false;
              if (!el.equals("testsuites") && !el.equals("testsuite")) {
                throw new IllegalStateException(
                    "root element <" + el + "> is neither <testsuites> nor <testsuite>");
              }
            }
            switch (el) {
              case "testsuites" -> {}
              case "testsuite" -> open.push(new SuiteBuilder(x, open.peek(), file));
              case "testcase" -> current().cases.add(readCase(x, current().name));
              case "properties" -> readProperties(x, current().properties);
              case "system-out" -> current().out = join(current().out, readText(x));
              case "system-err" -> current().err = join(current().err, readText(x));
              default -> skip(x);
            }
          } else if (ev == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("testsuite")) {
            emit(open.pop());
          }
        }
        flushOpen(); // the implicit suite of testcases directly under <testsuites>
      } finally {
        x.close();
      }
    }

    /** The innermost open suite; testcases directly under {@code <testsuites>} get one. */
    private SuiteBuilder current() {
      if (open.isEmpty()) {
        open.push(new SuiteBuilder(file.getFileName().toString()));
      }
      return open.peek();
    }

    void flushOpen() {
      while (!open.isEmpty()) {
        emit(open.pop());
      }
    }

    private void emit(SuiteBuilder b) {
      if (!b.cases.isEmpty()) {
        suites.add(
            new TestSuite(b.name, b.timestamp, b.hostname, b.properties, b.cases, b.out, b.err));
      }
    }
  }

  private static final class SuiteBuilder {
    final String name;
    String timestamp;
    String hostname;
    final Map<String, String> properties = new LinkedHashMap<>();
    final List<TestCase> cases = new ArrayList<>();
    String out;
    String err;

    SuiteBuilder(String name) {
      this.name = name;
    }

    SuiteBuilder(XMLStreamReader x, SuiteBuilder parent, Path file) {
      String n = attr(x, "name");
      this.name = n != null ? n : parent != null ? parent.name : file.getFileName().toString();
      this.timestamp = attr(x, "timestamp");
      this.hostname = attr(x, "hostname");
    }
  }

  private static TestCase readCase(XMLStreamReader x, String suiteName) throws XMLStreamException {
    String name = attr(x, "name");
    String classname = attr(x, "classname");
    String file = attr(x, "file");
    double time = time(attr(x, "time"));
    List<Problem> problems = new ArrayList<>();
    String out = null;
    String err = null;
    while (true) {
      int ev = x.next();
      if (ev == XMLStreamConstants.END_ELEMENT) {
        break;
      }
      if (ev != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String el = x.getLocalName();
      switch (el) {
        case "failure", "error", "skipped" -> {
          Problem.Kind kind = Problem.Kind.valueOf(el.toUpperCase(java.util.Locale.ROOT));
          String message = attr(x, "message");
          String type = attr(x, "type");
          String text = readText(x);
          problems.add(new Problem(kind, message, type, text.isBlank() ? null : text));
        }
        case "system-out" -> out = join(out, readText(x));
        case "system-err" -> err = join(err, readText(x));
        default -> skip(x);
      }
    }
    return new TestCase(
        classname == null || classname.isEmpty() ? suiteName : classname,
        name == null || name.isEmpty() ? "(unnamed testcase)" : name,
        file,
        time,
        problems,
        out,
        err,
        List.of());
  }

  private static void readProperties(XMLStreamReader x, Map<String, String> into)
      throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int ev = x.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        if (depth == 1 && x.getLocalName().equals("property")) {
          String name = attr(x, "name");
          String value = attr(x, "value");
          String text = readText(x); // some tools put the value in the element text
          if (name != null) {
            into.put(name, value != null ? value : text);
          }
        } else {
          depth++;
        }
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  /** All character data up to the end of the current element, nested elements' text included. */
  private static String readText(XMLStreamReader x) throws XMLStreamException {
    BoundedText text = new BoundedText(MAX_READ_TEXT_CHARS);
    int depth = 1;
    while (depth > 0) {
      int ev = x.next();
      switch (ev) {
        case XMLStreamConstants.START_ELEMENT -> depth++;
        case XMLStreamConstants.END_ELEMENT -> depth--;
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text.append(x);
        case XMLStreamConstants.ENTITY_REFERENCE -> {
          // Only an external entity, never fetched, is left as a reference: keep its name.
          String t = "&" + x.getLocalName() + ";";
          text.append(t.toCharArray(), 0, t.length());
        }
        default -> {}
      }
    }
    return text.toString();
  }

  private static void skip(XMLStreamReader x) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int ev = x.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  private static String attr(XMLStreamReader x, String name) {
    return x.getAttributeValue(null, name);
  }

  private static String join(String a, String b) {
    return a == null ? b : a + "\n" + b;
  }

  /** A number with an optional unit, as tools write times: "12s", "250ms", "1m2.5s". */
  private static final Pattern TIME_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ms|us|µs|ns|s|m|h)?");

  /**
   * Seconds from a {@code time} attribute; unknown or bad: -1. Surefire groups thousands with
   * commas ("1,234.5"), some locales write a decimal comma ("1,5"), and some tools add units
   * ("12s", "250ms", Go's "1m2.5s").
   */
  static double time(String s) {
    if (s == null || s.isBlank()) {
      return -1;
    }
    String t = s.strip();
    if (t.contains(",")) {
      boolean grouping = t.contains(".") || t.matches("[0-9]{1,3}(,[0-9]{3})+[a-zµ]*");
      t = grouping ? t.replace(",", "") : t.replace(',', '.');
    }
    Matcher m = TIME_PART.matcher(t);
    double total = 0;
    int end = 0;
    while (m.lookingAt()) {
      double v = Double.parseDouble(m.group(1));
      String unit = m.group(2);
      if (unit == null && m.end() != t.length()) {
        return -1; // a bare number must be the whole value
      }
      total += v * unitSeconds(unit);
      end = m.end();
      m.region(end, t.length());
    }
    return end == t.length() && !Double.isInfinite(total) ? total : -1;
  }

  private static double unitSeconds(String unit) {
    if (unit == null) {
      return 1;
    }
    return switch (unit) {
      case "h" -> 3600;
      case "m" -> 60;
      case "ms" -> 1e-3;
      case "us", "µs" -> 1e-6;
      case "ns" -> 1e-9;
      default -> 1;
    };
  }

  /**
   * Keeps the head and the tail of a long text, with a marker of how much was left out, and every
   * {@code [[ATTACHMENT|path]]} tag of the part left out (at most {@link
   * XmlText#MAX_KEPT_ATTACHMENTS}), since GitLab links a failed case's first tag wherever it is.
   */
  static final class BoundedText {
    private final int half;
    private final StringBuilder head = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
    private final List<String> tags = new ArrayList<>();
    private long total;

    BoundedText(int max) {
      this.half = Math.max(1, max / 2);
    }

    void append(XMLStreamReader x) {
      append(x.getTextCharacters(), x.getTextStart(), x.getTextLength());
    }

    void append(char[] chars, int start, int length) {
      total += length;
      int i = 0;
      if (head.length() < half) {
        i = Math.min(length, half - head.length());
        head.append(chars, start, i);
      }
      if (i < length) {
        tail.append(chars, start + i, length - i);
        if (tail.length() > 2 * half) {
          drop(tail.length() - half);
        }
      }
    }

    /** Deletes the first {@code n} characters of the tail, keeping the tags that start there. */
    private void drop(int n) {
      if (tail.indexOf("[[ATTACHMENT|") >= 0 && tags.size() < XmlText.MAX_KEPT_ATTACHMENTS) {
        Matcher m = XmlText.ATTACHMENT.matcher(tail);
        while (m.find() && m.start() < n && tags.size() < XmlText.MAX_KEPT_ATTACHMENTS) {
          tags.add(m.group());
        }
      }
      tail.delete(0, n);
    }

    @Override
    public String toString() {
      long kept = head.length() + (long) tail.length();
      if (kept == total) {
        return head.toString() + tail;
      }
      if (tail.length() > half) {
        drop(tail.length() - half);
      }
      StringBuilder sb = new StringBuilder(head);
      sb.append("\n[... testrig: truncated ")
          .append(total - head.length() - tail.length())
          .append(" characters while reading ...]\n");
      for (String t : tags) {
        sb.append(t).append('\n');
      }
      return sb.append(tail).toString();
    }
  }
}

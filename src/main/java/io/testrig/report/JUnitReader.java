package io.testrig.report;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Invalid UTF-8 and XML-illegal control characters get a second, lenient pass (U+FFFD in their
 * place) before a file counts as malformed. DTDs and external entities are off (XXE, OWASP XML
 * External Entity Prevention Cheat Sheet), so an entity reference is a parse error, never a file
 * read.
 */
public final class JUnitReader {
  /** Classname of the error testcases that stand for unreadable input files. */
  public static final String READ_ERROR_CLASSNAME = "testrig.report";

  /**
   * Cap per text element while reading, in characters (head and tail are kept). Far above the
   * writer's per-text limit, so the writer's own cut, made after redaction, always covers this one.
   */
  public static final int MAX_READ_TEXT_CHARS = 8 * 1024 * 1024;

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
    return factory()
        .createXMLStreamReader(
            new java.io.InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)));
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
      String decoded;
      try {
        decoded =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
      } catch (CharacterCodingException e) {
        decoded = new String(bytes, StandardCharsets.UTF_8); // replaces bad bytes with U+FFFD
      }
      String cleaned = XmlText.clean(decoded);
      // Same text as the strict pass saw: a second try would only repeat its error.
      if (cleaned.equals(decoded)) {
        return null;
      }
      // A byte-order mark is fine in a byte stream but not before <?xml in a character stream.
      return cleaned.startsWith("\uFEFF") ? cleaned.substring(1) : cleaned;
    } catch (IOException e) {
      return null;
    }
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
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
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
          String t = x.getText();
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

  /** Seconds; Surefire may group thousands with commas ("1,234.5"). Unknown or bad: -1. */
  static double time(String s) {
    if (s == null || s.isBlank()) {
      return -1;
    }
    try {
      double d = Double.parseDouble(s.replace(",", "").strip());
      return d >= 0 && !Double.isInfinite(d) ? d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Keeps the head and the tail of a long text, with a marker of how much was left out. */
  static final class BoundedText {
    private final int half;
    private final StringBuilder head = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
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
          tail.delete(0, tail.length() - half);
        }
      }
    }

    @Override
    public String toString() {
      long kept = head.length() + (long) tail.length();
      if (kept == total) {
        return head.toString() + tail;
      }
      String t = tail.length() > half ? tail.substring(tail.length() - half) : tail.toString();
      return head
          + "\n[... testrig: truncated "
          + (total - head.length() - t.length())
          + " characters while reading ...]\n"
          + t;
    }
  }
}

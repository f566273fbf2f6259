package io.testrig.rig;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.core.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code testrig.yml} strictly: an unknown key, a wrong type or an invalid value is a {@link
 * TestrigException} (exit 2) whose one-line message is {@code <file>:<line>: <key.path>: <what>}.
 * Keys are snake_case.
 */
public final class RigLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** The longest timeout a rig file may set (7 days; docs/rig-file.md, "Limits"). */
  static final Duration MAX_DURATION = Duration.ofDays(7);

  /**
   * One mapper for every loader (it is thread-safe once configured): the deserializers it builds
   * for the rig's records on first use, most of a first load's time, are built once per process,
   * and {@link #warm()} can build them ahead of the first real load.
   */
  private static final class Shared {
    static final ObjectMapper MAPPER =
        new ObjectMapper(new YAMLFactory())
            .registerModule(
                new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  private final ObjectMapper mapper = Shared.MAPPER;

  /**
   * The rig {@link #warm()} reads: as small as most rig files are (a stack of compose files), so
   * the warm-up builds what nearly every load needs and nothing more. Jackson builds the
   * deserializers of every section on first use anyway; what a bigger document adds (the model
   * rules' work on certs, templates, suites) cost more CPU than it saved (measured, issue 11).
   */
  static final String WARM_RIG = "name: warm-up\nstack:\n  files: [compose.yml]\n";

  /**
   * Reads {@link #WARM_RIG} through the shared mapper and runs the model rules on it (issue 11,
   * parallel preflight: a thread does this while picocli builds its model). Reads no file; a
   * problem in the text is not reported.
   */
  public static void warm() {
    new RigLoader().check(Path.of("warm-up.yml"), WARM_RIG);
  }

  /**
   * The largest rig file testrig reads (docs/rig-file.md, "Limits"). Real rig files are a few KB;
   * the bound keeps parsing time and memory small whatever the input (SnakeYAML's scan of one long
   * plain scalar grows with the square of its length: 10 MB took minutes, issue 7 item 14).
   */
  public static final int MAX_BYTES = 256 * 1024;

  /**
   * The longest line. The square-law scan above runs over one word, quoted run or line, so this
   * keeps it cheap (64 KiB: milliseconds) wherever the text is; long text belongs in a block scalar
   * ({@code |}), which is read line by line.
   */
  public static final int MAX_LINE_CHARS = 64 * 1024;

  /** Loads and validates a rig file; every problem the model rules find is reported at once. */
  public Rig load(Path file) {
    return check(file).require();
  }

  /**
   * Loads a rig file and runs the model rules without throwing for what they find, so a caller
   * (testrig validate) can add the problems only files and compose can show. A file that does not
   * parse (YAML syntax, an unknown key, a wrong type, a suite of no single kind) still throws: its
   * first error, as nothing after it can be read.
   */
  public Checked check(Path file) {
    return check(file, read(file));
  }

  /** A parsed rig, what the model rules found, and where each key is in the file. */
  public static final class Checked {
    private final Rig rig;
    private final Path file;
    private final LineIndex index;
    private final List<Problem> problems;

    Checked(Rig rig, Path file, LineIndex index, List<Problem> problems) {
      this.rig = rig;
      this.file = file;
      this.index = index;
      this.problems = List.copyOf(problems);
    }

    public Rig rig() {
      return rig;
    }

    /** What the model rules found, in rule order. */
    public List<Problem> problems() {
      return problems;
    }

    /** {@code <file>:<line>: <key>: <what>}: the line of the key, or of its nearest parent. */
    public String line(Problem p) {
      return file + ":" + index.line(p.key()) + ": " + p;
    }

    /** Exit 2 with one line per problem of {@code all}, in file order. */
    public TestrigException failure(List<Problem> all) {
      List<Problem> sorted = new java.util.ArrayList<>(all);
      // Stable: problems on one line keep the rules' order.
      sorted.sort(java.util.Comparator.comparingInt(p -> index.line(p.key())));
      return new TestrigException(ExitCode.BAD_INPUT, sorted.stream().map(this::line).toList());
    }

    /** The rig, or exit 2 naming every problem the model rules found. */
    public Rig require() {
      if (!problems.isEmpty()) {
        throw failure(problems);
      }
      return rig;
    }
  }

  /**
   * The rig file's text: a regular file of at most {@link #MAX_BYTES} bytes of UTF-8. The type is
   * checked before the file is opened, so a FIFO or a device never blocks or streams forever.
   */
  static String read(Path file) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw TestrigException.badInput(file + ": rig file not found");
    } catch (IOException | SecurityException e) {
      throw TestrigException.badInput(file + ": cannot read rig file: " + e.getMessage());
    }
    if (attrs.isDirectory()) {
      throw TestrigException.badInput(file + ": is a directory, not a rig file");
    }
    if (!attrs.isRegularFile()) {
      throw TestrigException.badInput(
          file + ": not a regular file (a FIFO, socket or device); a rig file must be a file");
    }
    if (attrs.size() > MAX_BYTES) {
      throw tooLarge(file);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // The size may change after the check: read at most one byte more than allowed.
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw TestrigException.badInput(file + ": cannot read rig file: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(file);
    }
    return utf8(file, bytes);
  }

  private static void checkLines(Path file, String text) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > MAX_LINE_CHARS) {
          throw TestrigException.badInput(
              file
                  + ":"
                  + line
                  + ": line is longer than "
                  + MAX_LINE_CHARS
                  + " characters (the limit; use a block scalar '|' for long text)");
        }
        line++;
        start = i + 1;
      }
    }
  }

  private static TestrigException tooLarge(Path file) {
    return TestrigException.badInput(
        file + ": rig file is larger than " + MAX_BYTES / 1024 + " KiB (the limit)");
  }

  /** Strict UTF-8: a malformed byte is an error naming its line, not a replacement character. */
  static String utf8(Path file, byte[] bytes) {
    return Text.utf8(bytes)
        .orElseThrow(
            () -> TestrigException.badInput(file + ":" + lineOf(bytes) + ": not valid UTF-8"));
  }

  /** The line of the first byte that does not decode as UTF-8. */
  private static int lineOf(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Text.strictUtf8().decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
    int line = 1;
    for (int i = 0; i < in.position(); i++) {
      line += bytes[i] == '\n' ? 1 : 0;
    }
    return line;
  }

  /** Parses and validates rig text; {@code file} names it in errors and anchors relative paths. */
  public Rig parse(Path file, String text) {
    return check(file, text).require();
  }

  Checked check(Path file, String text) {
    Rig rig;
    try {
      if (text.length() > MAX_BYTES) {
        throw tooLarge(file);
      }
      checkLines(file, text);
      // Aliases, extra documents, deep nesting and syntax errors: one line each, before Jackson.
      YamlGuard.check(file, text);
      // An empty file (or only comments) is a rig with every section at its default.
      rig =
          text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))
              ? null
              : mapper.readValue(text, Rig.class);
    } catch (JsonMappingException e) {
      // Jackson reports where it stopped reading, often the line after the key; the index knows
      // where the key itself starts.
      Integer keyLine = new LineIndex(text).exactLine(path(e));
      String where = keyLine != null ? keyLine.toString() : line(e.getLocation());
      throw TestrigException.badInput(file + ":" + where + ": " + describe(e));
    } catch (JsonProcessingException e) {
      throw TestrigException.badInput(
          file
              + ":"
              + line(e.getLocation())
              + ": invalid YAML: "
              + YamlGuard.oneLine(e.getOriginalMessage()));
    }
    if (rig == null) {
      rig = new Rig(null, null, null, null, null, null, null, null, null);
    }
    rig = rig.withFile(file.toAbsolutePath().normalize());
    LineIndex index = new LineIndex(text);
    return new Checked(rig, file, index, RigValidator.validate(rig, index.strings()).list());
  }

  private static String line(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? "?"
        : Integer.toString(location.getLineNr());
  }

  private static String describe(JsonMappingException e) {
    String path = path(e);
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : " (known: "
                  + u.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")";
      return path + ": unknown key" + known;
    }
    String msg = e.getOriginalMessage();
    // Jackson's messages name Java types; say what the user wrote wrong instead.
    if (msg.startsWith("Cannot deserialize value of type")) {
      Matcher m = Pattern.compile("type `([^`]+)`").matcher(msg);
      String type = m.find() ? friendlyType(m.group(1)) : "another type";
      return path + ": wrong type, expected " + type;
    }
    if (msg.startsWith("Cannot construct instance")) {
      return path + ": wrong type, expected a mapping";
    }
    int nl = msg.indexOf('\n');
    return path + ": " + (nl > 0 ? msg.substring(0, nl) : msg);
  }

  private static String friendlyType(String javaType) {
    if (javaType.startsWith("java.util.List") || javaType.startsWith("java.util.ArrayList")) {
      return "a list";
    }
    if (javaType.startsWith("java.util.Map") || javaType.startsWith("java.util.LinkedHashMap")) {
      return "a mapping";
    }
    if (javaType.equals("java.lang.Integer") || javaType.equals("int")) {
      return "a whole number";
    }
    if (javaType.equals("java.lang.Boolean") || javaType.equals("boolean")) {
      return "true or false";
    }
    if (javaType.equals("java.lang.String")) {
      return "a string";
    }
    if (javaType.equals("java.time.Duration")) {
      return "a duration like 30s";
    }
    return "a mapping";
  }

  /** The key path of a mapping error, like {@code certs.issue.db.usage[0]}. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number means seconds. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration like 500ms, 30s, 2m or 1h, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING
          && p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw JsonMappingException.from(p, "wrong type, expected a duration like 30s");
      }
      Duration d;
      try {
        d = parseDuration(p.getText());
      } catch (IllegalArgumentException | ArithmeticException e) {
        String text = p.getText();
        throw JsonMappingException.from(
            p,
            "expected a duration like 500ms, 30s, 2m or 1h, got '"
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                + "'");
      }
      // Timeouts become milliseconds and deadlines: a bound keeps that arithmetic in range.
      if (d.compareTo(MAX_DURATION) > 0) {
        throw JsonMappingException.from(p, "must be at most " + MAX_DURATION.toHours() + "h");
      }
      return d;
    }
  }

  /** Maps key paths ({@code certs.issue.db.usage[0]}) to the line they start on. */
  static final class LineIndex {
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, String> strings = new LinkedHashMap<>();

    LineIndex(String text) {
      try (JsonParser p = new YAMLFactory().createParser(text)) {
        while (p.nextToken() != null) {
          String key = pointerToPath(p.getParsingContext().pathAsPointer().toString());
          lines.putIfAbsent(key, p.currentTokenLocation().getLineNr());
          if (p.currentToken() == JsonToken.VALUE_STRING) {
            strings.putIfAbsent(key, p.getText());
          }
        }
      } catch (IOException e) {
        // Already parsed successfully once; a failure here only costs line numbers.
      }
    }

    /** Every string value in the file by key path, in file order (for the {@code {{} rule). */
    Map<String, String> strings() {
      return strings;
    }

    Integer exactLine(String path) {
      return lines.get(path);
    }

    int line(String path) {
      String p = path;
      while (true) {
        Integer l = lines.get(p);
        if (l != null) {
          return l;
        }
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        if (cut <= 0) {
          return 1;
        }
        p = p.substring(0, cut);
      }
    }

    private static String pointerToPath(String pointer) {
      StringBuilder sb = new StringBuilder();
      for (String seg : pointer.split("/")) {
        if (seg.isEmpty()) {
          continue;
        }
        if (seg.chars().allMatch(Character::isDigit)) {
          sb.append('[').append(seg).append(']');
        } else {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append(seg.replace("~1", "/").replace("~0", "~"));
        }
      }
      return sb.toString();
    }
  }
}

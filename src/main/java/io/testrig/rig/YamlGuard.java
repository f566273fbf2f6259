package io.testrig.rig;

import io.testrig.core.TestrigException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a rig file's YAML event stream once before Jackson maps it, and refuses what Jackson would
 * silently get wrong or what costs unbounded work, each as one line naming file, line and key path:
 *
 * <ul>
 *   <li>aliases ({@code *name}): Jackson's YAML parser reports an alias as the anchor's name, so
 *       {@code t: *s} would read as the string {@code s} (issue 7, item 13). Refusing them also
 *       rules out alias bombs.
 *   <li>tags ({@code !!binary}, {@code !custom}): Jackson ignores or reinterprets them.
 *   <li>a second document ({@code ---}) or text after the end marker {@code ...}: Jackson reads the
 *       first document and ignores the rest.
 *   <li>nesting deeper than {@link #MAX_DEPTH}: Jackson maps nested values recursively.
 *   <li>syntax errors: SnakeYAML's message is a 4-8 line snippet; this keeps its first line.
 * </ul>
 */
final class YamlGuard {
  /** Mappings and lists inside each other; real rig files use fewer than 10. */
  static final int MAX_DEPTH = 64;

  private static final String ONE_DOCUMENT =
      "a rig file is one YAML document: remove the second '---' or the text after '...'";

  private YamlGuard() {}

  /** One open mapping or list and where in it the parser is. */
  private static final class Frame {
    final boolean mapping;
    boolean expectKey = true;
    String key;
    int index;

    Frame(boolean mapping) {
      this.mapping = mapping;
    }
  }

  static void check(Path file, String text) {
    LoaderOptions options = new LoaderOptions();
    // The caller already bounds the text (RigLoader.MAX_BYTES); this is a second fence.
    options.setCodePointLimit(RigLoader.MAX_BYTES + 1);
    Iterator<Event> events = events(new ParserImpl(new StreamReader(text), options));
    Walk walk = new Walk(file);
    try {
      while (events.hasNext()) {
        walk.visit(events.next());
      }
    } catch (MarkedYAMLException e) {
      throw syntaxError(file, e);
    } catch (ReaderException e) {
      // A character YAML does not allow (a control character, a lone surrogate).
      throw TestrigException.badInput(
          file
              + ":"
              + lineAt(text, e.getPosition())
              + ": invalid YAML: "
              + oneLine(e.getMessage())
              + " (character "
              + String.format("U+%04X", e.getCodePoint())
              + ")");
    } catch (YAMLException e) {
      throw TestrigException.badInput(file + ": invalid YAML: " + oneLine(e.getMessage()));
    }
  }

  /** The walk over one event stream: documents seen and the open mappings and lists. */
  private static final class Walk {
    private final Path file;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private int documents;

    Walk(Path file) {
      this.file = file;
    }

    void visit(Event e) {
      if (e instanceof DocumentStartEvent) {
        if (++documents > 1) {
          throw error(file, e.getStartMark(), "", ONE_DOCUMENT);
        }
      } else if (e instanceof AliasEvent a) {
        throw error(
            file,
            e.getStartMark(),
            node(frames),
            "YAML aliases (*" + a.getAnchor() + ") are not supported: write the value out");
      } else if (e instanceof NodeEvent n && tag(n) != null) {
        // Jackson ignores a tag it does not know, or turns !!binary into bytes: neither is what
        // the author meant, and a rig file has no use for them.
        throw error(
            file,
            e.getStartMark(),
            node(frames),
            "YAML tags (" + tag(n) + ") are not supported: write the plain value");
      } else if (e instanceof CollectionStartEvent) {
        if (frames.size() >= MAX_DEPTH) {
          throw error(
              file, e.getStartMark(), node(frames), "nested deeper than " + MAX_DEPTH + " levels");
        }
        frames.push(new Frame(e instanceof MappingStartEvent));
      } else if (e instanceof ScalarEvent s) {
        if (!wellFormed(s.getValue())) {
          // "\\ud800" in double quotes escapes to half a character, which no file can hold in
          // UTF-8.
          throw error(
              file,
              e.getStartMark(),
              node(frames),
              "contains an unpaired surrogate escape (\\uD800-\\uDFFF): not a character");
        }
        Frame top = frames.peek();
        if (top != null && top.mapping && top.expectKey) {
          top.key = s.getValue();
          top.expectKey = false;
        } else {
          advance(frames);
        }
      } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
        frames.pop();
        advance(frames);
      }
    }
  }

  /** True when every surrogate in {@code s} is half of a pair. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** SnakeYAML's context and problem on one line, at the problem's line. */
  private static TestrigException syntaxError(Path file, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    if (problem != null && problem.startsWith("expected '<document start>'")) {
      // Text after '...' that does not start a document of its own.
      return TestrigException.badInput(file + ":" + line(mark) + ": " + ONE_DOCUMENT);
    }
    String context = e.getContext() != null && e.getProblem() != null ? e.getContext() + ": " : "";
    return TestrigException.badInput(
        file + ":" + line(mark) + ": invalid YAML: " + oneLine(context + problem));
  }

  private static Iterator<Event> events(ParserImpl parser) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return parser.peekEvent() != null;
      }

      @Override
      public Event next() {
        return parser.getEvent();
      }
    };
  }

  /** The explicit tag of a node, or null. */
  private static String tag(NodeEvent e) {
    if (e instanceof ScalarEvent s) {
      return s.getTag();
    }
    return e instanceof CollectionStartEvent c && !c.getImplicit() ? c.getTag() : null;
  }

  /** After a value: a mapping expects its next key, a list its next index. */
  private static void advance(Deque<Frame> frames) {
    Frame top = frames.peek();
    if (top == null) {
      return;
    }
    if (top.mapping) {
      if (top.expectKey) {
        // A complex key (a mapping or list as key) just ended: its value comes next.
        top.key = "?";
        top.expectKey = false;
      } else {
        top.expectKey = true;
      }
    } else {
      top.index++;
    }
  }

  /** The key path of the node the parser is at, like {@code certs.issue.db.dns[0]}. */
  private static String node(Deque<Frame> frames) {
    StringBuilder sb = new StringBuilder();
    Iterator<Frame> it = frames.descendingIterator();
    while (it.hasNext()) {
      Frame f = it.next();
      if (f.mapping) {
        if (f.key != null) {
          sb.append(sb.length() == 0 ? "" : ".").append(f.key);
        }
      } else {
        sb.append('[').append(f.index).append(']');
      }
    }
    return sb.toString();
  }

  private static TestrigException error(Path file, Mark mark, String path, String what) {
    return TestrigException.badInput(
        file + ":" + line(mark) + ": " + (path.isEmpty() ? "" : path + ": ") + what);
  }

  /** The 1-based line of a code point index. */
  private static int lineAt(String text, int codePoint) {
    int end =
        text.offsetByCodePoints(0, Math.min(codePoint, text.codePointCount(0, text.length())));
    int line = 1;
    for (int i = 0; i < end; i++) {
      line += text.charAt(i) == '\n' ? 1 : 0;
    }
    return line;
  }

  private static String line(Mark mark) {
    return mark == null ? "?" : Integer.toString(mark.getLine() + 1);
  }

  /** SnakeYAML messages may hold newlines and quote the input; errors are one line. */
  static String oneLine(String s) {
    String flat = String.valueOf(s).strip().replaceAll("\\s*\\R\\s*", " ");
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}

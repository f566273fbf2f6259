package io.testrig.template;

import io.testrig.core.TestrigException;
import java.time.Duration;
import java.util.Set;

/**
 * Bounds on one render, so a hostile or runaway template fails with a clear error instead of
 * exhausting the stack, the heap or the clock (issue 7, items 5 and 14). docs/rig-file.md,
 * "Rendering", lists the same figures.
 *
 * @param maxNesting deepest nesting of block tags ({@code if}, {@code for}, {@code macro}...) and,
 *     separately, of brackets inside one tag or expression
 * @param maxFilters most filters chained in one tag or expression
 * @param maxIncludes most {@code include}/{@code import}/{@code extends} loads per template
 * @param maxOutputBytes largest output of one template (jinjava's own output limit)
 * @param timeout wall time of the whole render, every template included
 */
record TemplateLimits(
    int maxNesting, int maxFilters, int maxIncludes, long maxOutputBytes, Duration timeout) {
  static final TemplateLimits DEFAULT =
      new TemplateLimits(100, 100, 1000, 16L * 1024 * 1024, Duration.ofSeconds(60));

  /** Tags that open a block closed by {@code end<name>}. */
  private static final Set<String> BLOCK_TAGS =
      Set.of(
          "if",
          "for",
          "macro",
          "call",
          "filter",
          "block",
          "autoescape",
          "raw",
          "unless",
          "ifchanged",
          "with",
          "set");

  /**
   * Checks {@code text} against {@link #maxNesting} and {@link #maxFilters} before jinjava parses
   * it: jinjava's parser and renderer recurse once per nesting level (and its expression parser
   * once per filter), so 3,000 nested ifs or 20,000 nested parentheses overflow the stack. A light
   * scan: text outside tags is skipped, string literals inside tags too.
   *
   * @return null when within limits, else what is exceeded and on which line
   */
  String checkNesting(String text) {
    int blocks = 0;
    int line = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (c != '{' || i + 1 >= n || "{%#".indexOf(text.charAt(i + 1)) < 0) {
        i++;
        continue;
      }
      char kind = text.charAt(i + 1);
      int end = tagEnd(text, i + 2, kind == '{' ? '}' : kind);
      String tag = text.substring(i + 2, end);
      String problem = kind == '#' ? null : checkTag(tag);
      if (problem != null) {
        return line + ": " + problem;
      }
      if (kind == '%') {
        blocks += blockDelta(tag);
        if (blocks > maxNesting) {
          return line + ": block tags nested deeper than " + maxNesting + " levels";
        }
      }
      line += count(tag, '\n');
      i = Math.min(n, end + 2);
    }
    return null;
  }

  /** Bracket depth and filter count of one tag's or expression's text. */
  private String checkTag(String tag) {
    int depth = 0;
    int filters = 0;
    char quote = 0;
    for (int j = 0; j < tag.length(); j++) {
      char c = tag.charAt(j);
      if (quote != 0) {
        if (c == '\\') {
          j++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        if (++depth > maxNesting) {
          return "brackets nested deeper than " + maxNesting + " levels";
        }
      } else if (c == ')' || c == ']' || c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (c == '|' && ++filters > maxFilters) {
        return "more than " + maxFilters + " filters in one expression";
      }
    }
    return null;
  }

  private static int blockDelta(String tag) {
    String t = tag.strip();
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1).strip();
    }
    int space = 0;
    while (space < t.length() && Character.isLetter(t.charAt(space))) {
      space++;
    }
    String name = t.substring(0, space);
    if (name.startsWith("end")) {
      return -1;
    }
    if (!BLOCK_TAGS.contains(name)) {
      return 0;
    }
    // {% set x = 1 %} is a statement; only {% set x %}...{% endset %} opens a block.
    return name.equals("set") && t.contains("=") ? 0 : 1;
  }

  /** Index of the closing "}}", "%}" or "#}" (or the end of the text), skipping string literals. */
  private static int tagEnd(String text, int from, char close) {
    char quote = 0;
    for (int j = from; j + 1 < text.length(); j++) {
      char c = text.charAt(j);
      if (quote != 0) {
        if (c == '\\') {
          j++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (close != '#' && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == close && text.charAt(j + 1) == '}') {
        return j;
      }
    }
    return text.length();
  }

  private static int count(String s, char c) {
    int k = 0;
    for (int j = 0; j < s.length(); j++) {
      if (s.charAt(j) == c) {
        k++;
      }
    }
    return k;
  }

  /** Thrown inside a render thread when a limit is hit where jinjava would swallow an exception. */
  static final class Exceeded extends Error {
    private static final long serialVersionUID = 1L;

    Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  /** The deadline of the render running on this thread (0: none). */
  private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[1]);

  /** Sets this thread's render deadline, in {@link System#nanoTime()} terms. */
  static void startClock(long deadlineNanos) {
    DEADLINE.get()[0] = deadlineNanos;
  }

  /**
   * Called from the places every long render passes through (filters, includes, name lookups):
   * jinjava catches exceptions from them and goes on rendering, so this throws an {@link Error}.
   */
  static void checkClock() {
    long d = DEADLINE.get()[0];
    if (d != 0 && System.nanoTime() - d > 0) {
      throw new Exceeded("render time limit exceeded");
    }
  }

  /**
   * A Java {@link Error} raised while rendering one template, as one line naming the template (exit
   * 2): a limit, a stack overflow (deep recursion that the nesting check did not foresee) or the
   * heap running out.
   */
  TestrigException asBadInput(String template, Error e) {
    String what;
    if (e instanceof Exceeded) {
      what =
          e.getMessage() + (e.getMessage().startsWith("render time") ? " (" + seconds() + ")" : "");
    } else if (e instanceof StackOverflowError) {
      what = "nested too deeply to render (stack overflow)";
    } else if (e instanceof OutOfMemoryError) {
      what = "needs more memory than the renderer has (out of memory)";
    } else {
      what = "cannot be rendered: " + e.getClass().getSimpleName();
    }
    return new TestrigException(io.testrig.core.ExitCode.BAD_INPUT, template + ": " + what, e);
  }

  String seconds() {
    return timeout.toSeconds() > 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}

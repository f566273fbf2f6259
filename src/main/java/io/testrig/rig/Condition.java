package io.testrig.rig;

import io.testrig.core.TestrigException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on the current config's values, as {@code stack.services.<svc>.enabled_if} and {@code
 * suites[].when} write it (issue 9, items 2 and 3). Four forms:
 *
 * <ul>
 *   <li>{@code features.cache}: the value is {@code true};
 *   <li>{@code !features.cache}: the value is {@code false};
 *   <li>{@code db.version == 17} and {@code db.version != 17}: the value's text equals (differs
 *       from) the text after the operator (quotes around it are dropped).
 * </ul>
 *
 * A value the condition names must exist; the first two forms need {@code true} or {@code false}.
 * Both are bad input (exit 2) naming the key that holds the condition.
 *
 * @param text the condition as written
 * @param path the value path it reads
 * @param op {@code ""} for the boolean forms, else {@code ==} or {@code !=}
 * @param expected {@code "true"}/{@code "false"} for the boolean forms, else the literal
 */
public record Condition(String text, String path, String op, String expected) {
  private static final String PATH = "[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*";
  private static final Pattern BOOL = Pattern.compile("(!?)\\s*(" + PATH + ")");
  private static final Pattern COMPARE = Pattern.compile("(" + PATH + ")\\s*(==|!=)\\s*(.*)");

  /** Parses {@code text}; null when it is none of the four forms. */
  public static Condition parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    Matcher m = BOOL.matcher(t);
    if (m.matches()) {
      return new Condition(t, m.group(2), "", m.group(1).isEmpty() ? "true" : "false");
    }
    m = COMPARE.matcher(t);
    if (m.matches() && !m.group(3).isBlank()) {
      return new Condition(t, m.group(1), m.group(2), unquote(m.group(3).strip()));
    }
    return null;
  }

  /** What a bad condition's error says after the key. */
  public static final String SYNTAX =
      "must be a value path (features.cache), its negation (!features.cache) or a comparison"
          + " (db.version == 17, db.version != 17)";

  /** The outcome: whether it holds, and the value it read ({@code features.cache=false}). */
  public record Outcome(boolean holds, String seen) {}

  /**
   * Evaluates against resolved values; {@code key} names where the condition is written for the
   * error when the value is missing or not a boolean.
   */
  public Outcome evaluate(Map<String, Object> values, String key) {
    Object v = lookup(values, path);
    if (v == NONE) {
      throw TestrigException.badInput(
          key + ": '" + text + "' reads value " + path + ", which is not set in this config");
    }
    String seen = path + "=" + ValueEnv.text(v);
    if (op.isEmpty()) {
      if (!(v instanceof Boolean b)) {
        throw TestrigException.badInput(
            key + ": '" + text + "' needs true or false, but " + seen + " in this config");
      }
      return new Outcome(String.valueOf(b).equals(expected), seen);
    }
    boolean equal = ValueEnv.text(v).equals(expected);
    return new Outcome(op.equals("==") == equal, seen);
  }

  private static final Object NONE = new Object();

  private static Object lookup(Map<String, Object> values, String path) {
    Object node = values;
    for (String seg : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> m) || !m.containsKey(seg)) {
        return NONE;
      }
      node = m.get(seg);
    }
    return node;
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}

package io.testrig.rig;

import io.testrig.core.TestrigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rig's values as environment variables for compose interpolation (issue 9, item 1): every
 * scalar at value path {@code db.version} becomes {@code TESTRIG_VALUE_DB_VERSION}. The name is
 * {@link #PREFIX} plus the path upper-cased with every character other than a letter or a digit
 * (the dots between keys, {@code -}, {@code _}, ...) turned into {@code _}. Booleans are {@code
 * true}/{@code false}, numbers as written, null is empty, a list of scalars is its items joined by
 * {@code ,}; lists holding mappings are left out. Two paths that give one name (e.g. {@code
 * db.version} and {@code db_version}) are an error (exit 2): compose would see only one of them.
 *
 * <p>Compose reads interpolation variables from its process environment
 * (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/), so
 * testrig passes these as the environment of every compose command, never as files.
 */
public final class ValueEnv {
  /** Prefix of every value's variable. */
  public static final String PREFIX = "TESTRIG_VALUE_";

  private ValueEnv() {}

  /** The variable name of a value path. */
  public static String name(String path) {
    StringBuilder sb = new StringBuilder(PREFIX);
    for (char c : path.toCharArray()) {
      boolean plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      sb.append(plain ? Character.toUpperCase(c) : '_');
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  /**
   * Variable name → value for every exported value of the tree; a collision is bad input naming
   * both paths.
   */
  public static Map<String, String> of(Map<String, Object> values) {
    Map<String, String> out = new TreeMap<>();
    Map<String, String> pathOf = new LinkedHashMap<>();
    for (Map.Entry<String, String> leaf : leaves(values).entrySet()) {
      String name = name(leaf.getKey());
      String other = pathOf.putIfAbsent(name, leaf.getKey());
      if (other != null) {
        throw TestrigException.badInput(collision(other, leaf.getKey(), name));
      }
      out.put(name, leaf.getValue());
    }
    return out;
  }

  /** The message for two paths that map to one variable. */
  static String collision(String a, String b, String name) {
    return "values '"
        + a
        + "' and '"
        + b
        + "' both become "
        + name
        + " for compose; rename one (docs/rig-file.md, \"Values in compose\")";
  }

  /** Collisions among the given paths, as (path, message) pairs: for validation. */
  static List<String[]> collisions(Iterable<String> paths) {
    Map<String, String> pathOf = new LinkedHashMap<>();
    List<String[]> out = new ArrayList<>();
    for (String p : paths) {
      String other = pathOf.putIfAbsent(name(p), p);
      if (other != null && !other.equals(p)) {
        out.add(new String[] {p, collision(other, p, name(p))});
      }
    }
    return out;
  }

  /** Value path → text of every exported scalar, in tree order. */
  public static Map<String, String> leaves(Map<String, Object> values) {
    Map<String, String> out = new LinkedHashMap<>();
    collect("", values, out);
    return out;
  }

  private static void collect(String prefix, Map<?, ?> node, Map<String, String> out) {
    for (Map.Entry<?, ?> e : node.entrySet()) {
      String path = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        collect(path + ".", m, out);
      } else if (v instanceof List<?> l) {
        String joined = joined(l);
        if (joined != null) {
          out.put(path, joined);
        }
      } else {
        out.put(path, text(v));
      }
    }
  }

  private static String joined(List<?> list) {
    List<String> parts = new ArrayList<>();
    for (Object o : list) {
      if (o instanceof Map<?, ?> || o instanceof List<?>) {
        return null;
      }
      parts.add(text(o));
    }
    return String.join(",", parts);
  }

  /** How a scalar reads in the environment (and in a condition's message). */
  static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }
}

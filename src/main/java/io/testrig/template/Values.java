package io.testrig.template;

import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.secrets.SecretStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Template values, merged from lowest to highest precedence: the rig's {@code values}, plain keys
 * of an existing config.json, an overlay (a matrix config's values), {@code --set key.path=value},
 * then environment variables named {@code <prefix><key>__<key>} ({@code TESTRIG_db__name=x} sets
 * {@code db.name}; {@code __} separates segments, a single {@code _} is kept). Maps merge key by
 * key; anything else replaces.
 *
 * <p>A path under a generator namespace ({@code --set password.db.app=...}) sets that secret in the
 * store instead, so it is saved to config.json and masked like a generated one.
 *
 * <p>Strings from --set and the environment are coerced: {@code true}/{@code false} become booleans
 * and JSON numbers ({@code 5}, {@code -1.5}, not {@code 007}) become numbers; anything else stays a
 * string. Secrets are never coerced.
 */
public final class Values {
  private static final Pattern JSON_INT = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private Values() {}

  /**
   * Merges every source into one value tree for templates.
   *
   * @param overlay values at --set precedence, applied before {@code set} (a matrix config's)
   * @param set {@code --set} pairs, key path → raw string
   * @param env the environment (System.getenv() in the CLI)
   */
  public static Map<String, Object> resolve(
      Rig rig,
      SecretStore store,
      Map<String, Object> overlay,
      Map<String, String> set,
      Map<String, String> env) {
    Map<String, Object> out = new LinkedHashMap<>();
    merge(out, deepCopy(rig.values()));
    merge(out, deepCopy(store.plainValues()));
    for (String ns : store.namespaces()) {
      if (out.containsKey(ns)) {
        throw TestrigException.badInput(
            ns + ": a value cannot use the name of the secret generator '" + ns + "'");
      }
    }
    overlay.forEach((k, v) -> apply(out, store, k, v, "matrix value"));
    set.forEach((k, v) -> apply(out, store, k, v, "--set"));
    String prefix = rig.secrets().envPrefix();
    new TreeMap<>(env)
        .forEach(
            (name, v) -> {
              if (name.startsWith(prefix) && name.length() > prefix.length()) {
                String path = name.substring(prefix.length()).replace("__", ".");
                apply(out, store, path, v, "environment variable " + name);
              }
            });
    return out;
  }

  private static void apply(
      Map<String, Object> out, SecretStore store, String path, Object raw, String source) {
    List<String> segs = List.of(path.split("\\.", -1));
    for (String s : segs) {
      if (!s.matches("[A-Za-z0-9_-]+")) {
        throw TestrigException.badInput(
            source + ": '" + path + "' is not a key path (segments of letters, digits, _ and -)");
      }
    }
    if (store.isSecretPath(path)) {
      store.put(path, String.valueOf(raw));
      return;
    }
    if (store.namespaces().contains(path)) {
      throw TestrigException.badInput(source + ": '" + path + "' names a secret generator");
    }
    Object value = raw instanceof String s ? coerce(s) : raw;
    Map<String, Object> node = out;
    for (int i = 0; i < segs.size() - 1; i++) {
      Object next = node.get(segs.get(i));
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
        node.put(segs.get(i), next);
      }
      node = cast(next);
    }
    String leaf = segs.get(segs.size() - 1);
    if (value instanceof Map<?, ?> m && node.get(leaf) instanceof Map<?, ?> old) {
      merge(cast(old), deepCopy(cast(m)));
    } else {
      node.put(leaf, value);
    }
  }

  /** true/false → Boolean, JSON integers → Long, other JSON numbers → Double, else the string. */
  static Object coerce(String s) {
    if (s.equals("true")) {
      return Boolean.TRUE;
    }
    if (s.equals("false")) {
      return Boolean.FALSE;
    }
    if (JSON_INT.matcher(s).matches()) {
      return Long.parseLong(s);
    }
    if (JSON_NUMBER.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    return s;
  }

  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    from.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> old) {
            merge(cast(old), cast(m));
          } else {
            into.put(k, v);
          }
        });
  }

  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> sub ? deepCopy(cast(sub)) : v));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object m) {
    return (Map<String, Object>) m;
  }
}

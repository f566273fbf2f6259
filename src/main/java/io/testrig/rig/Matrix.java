package io.testrig.rig;

import io.testrig.core.TestrigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Expands a rig's {@code matrix} into configs, one per combination of axis values, in the order the
 * axes and values are written. An axis name is a value path ({@code postgres.version}); each config
 * sets those paths on top of the rig's values, at {@code --set} precedence.
 */
public final class Matrix {
  private Matrix() {}

  /**
   * One combination.
   *
   * @param name {@code axis=value,axis=value} (empty for a rig without matrix); what {@code --only}
   *     takes
   * @param slug a short form safe in compose project and file names
   * @param values value path → value
   */
  public record Config(String name, String slug, Map<String, Object> values) {
    public static final Config SINGLE = new Config("", "", Map.of());

    public boolean isSingle() {
      return values.isEmpty();
    }
  }

  /** All configs of a rig; one {@link Config#SINGLE} when it has no matrix. */
  public static List<Config> expand(Rig rig) {
    List<Map<String, Object>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Object>> axis : rig.matrix().entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : combos) {
        for (Object v : axis.getValue()) {
          Map<String, Object> m = new LinkedHashMap<>(partial);
          m.put(axis.getKey(), v);
          next.add(m);
        }
      }
      combos = next;
    }
    if (combos.size() == 1 && combos.get(0).isEmpty()) {
      return List.of(Config.SINGLE);
    }
    List<Config> configs = new ArrayList<>(combos.size());
    for (Map<String, Object> c : combos) {
      StringJoiner name = new StringJoiner(",");
      StringJoiner slug = new StringJoiner("-");
      c.forEach(
          (k, v) -> {
            name.add(k + "=" + v);
            slug.add(slugOf(String.valueOf(v)));
          });
      configs.add(new Config(name.toString(), slug.toString(), Map.copyOf(c)));
    }
    return configs;
  }

  /**
   * The configs {@code only} selects: a full name ({@code pg=16,ssl=true}) or its slug ({@code
   * 16-true}); null selects all. An unknown name is an error listing the known ones.
   */
  public static List<Config> select(Rig rig, String only) {
    List<Config> all = expand(rig);
    if (only == null || only.isBlank()) {
      return all;
    }
    for (Config c : all) {
      if (c.name().equals(only) || c.slug().equals(only)) {
        return List.of(c);
      }
    }
    StringJoiner known = new StringJoiner(", ");
    all.forEach(c -> known.add(c.name().isEmpty() ? "(none: the rig has no matrix)" : c.name()));
    throw TestrigException.badInput(
        rig.file() + ": --only '" + only + "' matches no matrix config (known: " + known + ")");
  }

  static String slugOf(String s) {
    String slug = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    slug = slug.replaceAll("^_+|_+$", "");
    return slug.isEmpty() ? "x" : slug;
  }
}

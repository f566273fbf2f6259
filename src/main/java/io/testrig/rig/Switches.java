package io.testrig.rig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the current config's values switch on and off in the stack (issue 9, item 2): services whose
 * {@code stack.services.<svc>.enabled_if} does not hold, and profiles whose {@code
 * stack.profiles_if} condition does.
 *
 * @param disabled service → why, e.g. {@code disabled by features.cache=false}
 * @param profiles the compose profiles to enable: {@code stack.profiles} plus those switched on
 */
public record Switches(Map<String, String> disabled, List<String> profiles) {
  public Switches {
    disabled = Map.copyOf(disabled);
    profiles = List.copyOf(profiles);
  }

  /** The rig's switches evaluated against one config's resolved values; bad input on a bad one. */
  public static Switches of(Rig rig, Map<String, Object> values) {
    Map<String, String> disabled = new LinkedHashMap<>();
    rig.stack()
        .services()
        .forEach(
            (svc, s) -> {
              if (s == null || s.enabledIf() == null) {
                return;
              }
              String key = where(rig) + "stack.services." + svc + ".enabled_if";
              Condition.Outcome o = parse(s.enabledIf(), key).evaluate(values, key);
              if (!o.holds()) {
                disabled.put(svc, "disabled by " + o.seen());
              }
            });
    List<String> profiles = new ArrayList<>(rig.stack().profiles());
    rig.stack()
        .profilesIf()
        .forEach(
            (profile, cond) -> {
              String key = where(rig) + "stack.profiles_if." + profile;
              if (parse(cond, key).evaluate(values, key).holds() && !profiles.contains(profile)) {
                profiles.add(profile);
              }
            });
    return new Switches(disabled, profiles);
  }

  /** Whether a suite runs in this config: null when it does, else why it is skipped. */
  public static String skipReason(Rig rig, SuiteSpec suite, Map<String, Object> values) {
    if (suite.when() == null) {
      return null;
    }
    String key = where(rig) + "suites." + suite.name() + ".when";
    Condition.Outcome o = parse(suite.when(), key).evaluate(values, key);
    return o.holds() ? null : "skipped by when: " + suite.when() + " (" + o.seen() + ")";
  }

  /**
   * Every enabled service that hard-depends on a disabled one, one line each (the check "a flag
   * that disables a service others hard-depend on", issue 9 item 5): a {@code depends_on} entry is
   * hard unless it says {@code required: false}
   * (https://docs.docker.com/reference/compose-file/services/#depends_on).
   *
   * @param hardDeps service → the services it hard-depends on, as compose resolved them
   * @param enabled the services the profiles enable
   * @param disabled service → why, from {@link #of}
   */
  public static List<String> hardDependents(
      Map<String, List<String>> hardDeps, List<String> enabled, Map<String, String> disabled) {
    List<String> out = new ArrayList<>();
    for (String svc : enabled) {
      if (disabled.containsKey(svc)) {
        continue;
      }
      for (String dep : hardDeps.getOrDefault(svc, List.of())) {
        if (disabled.containsKey(dep)) {
          out.add(
              "stack.services."
                  + dep
                  + ".enabled_if: service '"
                  + svc
                  + "' depends on '"
                  + dep
                  + "', which is "
                  + disabled.get(dep)
                  + "; give '"
                  + svc
                  + "' the same enabled_if, or make the dependency optional"
                  + " (depends_on: {"
                  + dep
                  + ": {required: false}})");
        }
      }
    }
    return out;
  }

  /**
   * A config's values as far as the rig file alone knows them: {@code values} with the matrix
   * config's axes set on top (no config.json, {@code --set} or environment). For static checks,
   * such as {@code validate} evaluating the switches of every matrix config.
   */
  public static Map<String, Object> staticValues(Rig rig, Map<String, Object> overlay) {
    Map<String, Object> out = copy(rig.values());
    overlay.forEach(
        (path, v) -> {
          String[] segs = path.split("\\.");
          Map<String, Object> node = out;
          for (int i = 0; i < segs.length - 1; i++) {
            Object next = node.get(segs[i]);
            Map<String, Object> m =
                next instanceof Map<?, ?> existing ? copy(cast(existing)) : new LinkedHashMap<>();
            node.put(segs[i], m);
            node = m;
          }
          node.put(segs[segs.length - 1], v);
        });
    return out;
  }

  private static Map<String, Object> copy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> sub ? copy(cast(sub)) : v));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object m) {
    return (Map<String, Object>) m;
  }

  private static Condition parse(String text, String key) {
    Condition c = Condition.parse(text);
    if (c == null) {
      throw io.testrig.core.TestrigException.badInput(key + ": " + Condition.SYNTAX);
    }
    return c;
  }

  private static String where(Rig rig) {
    return rig.file() == null ? "" : rig.file() + ": ";
  }
}

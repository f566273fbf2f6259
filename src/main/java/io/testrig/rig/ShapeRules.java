package io.testrig.rig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The static checks of the keys that shape a config's stack and suites (issue 9, items 1-3): the
 * syntax of every condition, and that no two values (rig {@code values} and matrix axes) map to one
 * compose variable. What needs the resolved values or compose's model (a value a condition reads is
 * set and boolean; a disabled service nobody hard-depends on) is checked at the start of {@code
 * run}/{@code up} by {@link Switches}.
 */
public final class ShapeRules {
  private ShapeRules() {}

  /** One problem: the key path at fault and what is wrong. */
  public record Finding(String path, String what) {}

  public static List<Finding> check(Rig rig) {
    List<Finding> out = new ArrayList<>();
    rig.stack()
        .services()
        .forEach(
            (svc, s) -> {
              if (s != null && s.enabledIf() != null) {
                condition(s.enabledIf(), "stack.services." + svc + ".enabled_if", out);
              }
            });
    rig.stack().profilesIf().forEach((p, cond) -> condition(cond, "stack.profiles_if." + p, out));
    for (int i = 0; i < rig.suites().size(); i++) {
      SuiteSpec s = rig.suites().get(i);
      if (s != null && s.when() != null) {
        condition(s.when(), "suites[" + i + "].when", out);
      }
    }
    Set<String> paths = new LinkedHashSet<>(ValueEnv.leaves(rig.values()).keySet());
    for (Map.Entry<String, List<Object>> axis : rig.matrix().entrySet()) {
      paths.add(axis.getKey());
    }
    for (String[] c : ValueEnv.collisions(paths)) {
      String at = rig.matrix().containsKey(c[0]) ? "matrix." + c[0] : "values." + c[0];
      out.add(new Finding(at, c[1]));
    }
    return out;
  }

  private static void condition(String text, String at, List<Finding> out) {
    if (Condition.parse(text) == null) {
      out.add(new Finding(at, Condition.SYNTAX));
    }
  }
}

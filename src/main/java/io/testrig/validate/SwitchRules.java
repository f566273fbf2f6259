package io.testrig.validate;

import io.testrig.compose.ComposeConfig;
import io.testrig.core.TestrigException;
import io.testrig.rig.Matrix;
import io.testrig.rig.Problems;
import io.testrig.rig.Rig;
import io.testrig.rig.Switches;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "A flag that disables a service others hard-depend on" (issue 9, item 5): for every matrix
 * config, the services its values switch off ({@code stack.services.<svc>.enabled_if}) against
 * compose's {@code depends_on}. The values are the rig file's ({@code values} and the config's
 * axes); a condition on a value only {@code --set} or the environment gives is checked when {@code
 * run} or {@code up} starts (the same {@link Switches#hardDependents} rule).
 */
final class SwitchRules implements Rule {
  @Override
  public boolean needsCompose() {
    return true;
  }

  @Override
  public void check(Subject s, Problems out) {
    Rig rig = s.rig();
    if (rig.stack().services().values().stream()
        .noneMatch(v -> v != null && v.enabledIf() != null)) {
      return;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (Matrix.Config c : Matrix.expand(rig)) {
      Switches sw;
      try {
        sw = Switches.of(rig, Switches.staticValues(rig, c.values()));
      } catch (TestrigException e) {
        continue; // the value comes from --set or the environment: checked at start
      }
      List<String> byProfiles = enabled(s.compose(), sw.profiles());
      for (String line :
          Switches.hardDependents(s.compose().hardDependsOn(), byProfiles, sw.disabled())) {
        if (seen.add(line)) {
          int colon = line.indexOf(": ");
          String where = c.isSingle() ? "" : " (config " + c.name() + ")";
          out.add(line.substring(0, colon), line.substring(colon + 2) + where);
        }
      }
    }
  }

  /** Services the profiles enable: those without profiles, and those with an active one. */
  private static List<String> enabled(ComposeConfig.Resolved compose, List<String> active) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : compose.profiles().entrySet()) {
      if (e.getValue().isEmpty() || e.getValue().stream().anyMatch(active::contains)) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}

package io.testrig.validate;

import io.testrig.compose.ComposeConfig;
import io.testrig.rig.Problems;
import io.testrig.rig.Rig;
import java.util.Map;

/**
 * One check of the validation pass that reads files or asks compose (rules over the model alone are
 * in {@code rig.RigValidator}). A rule adds every problem it finds to {@code out} and never throws
 * for bad input; it must cope with a model that has problems of its own (null entries).
 * docs/development.md, "Validation rules", says where a new one goes.
 */
public interface Rule {
  /**
   * What a rule looks at.
   *
   * @param rig the loaded rig
   * @param env the environment testrig runs with (TESTRIG_JUNIT_CONSOLE, ...)
   * @param compose what {@code docker compose config} made of the stack; null for rules that do not
   *     need it
   */
  record Subject(Rig rig, Map<String, String> env, ComposeConfig.Resolved compose) {}

  /** True when the rule needs the compose model: it runs only when compose accepted the files. */
  default boolean needsCompose() {
    return false;
  }

  void check(Subject s, Problems out);
}

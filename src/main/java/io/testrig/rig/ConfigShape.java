package io.testrig.rig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one config's resolved values shape its run (issue 9): the environment every compose command
 * gets ({@code TESTRIG_RUN_DIR} and one {@link ValueEnv} variable per value), the services a flag
 * switched off, the profiles a flag switched on, and which suites run. Built once per config after
 * its values are resolved, by {@code run}, {@code up} and whatever else brings a stack up.
 *
 * @param rig the rig, its {@code stack.profiles} extended by the {@code profiles_if} that hold
 * @param composeEnv environment for every compose invocation (interpolation)
 * @param disabled service → why it is off ({@code disabled by features.cache=false})
 * @param skipped suite name → why it does not run in this config
 */
public record ConfigShape(
    Rig rig,
    Map<String, String> composeEnv,
    Map<String, String> disabled,
    Map<String, String> skipped) {
  /** The variable that names the run directory, for compose files and suites. */
  public static final String RUN_DIR = "TESTRIG_RUN_DIR";

  public ConfigShape {
    composeEnv = Map.copyOf(composeEnv);
    disabled = Map.copyOf(disabled);
    skipped = Map.copyOf(skipped);
  }

  /** A config that switches nothing: only the run directory reaches compose. */
  public static ConfigShape plain(Rig rig, Path runDir) {
    return new ConfigShape(rig, Map.of(RUN_DIR, runDir.toString()), Map.of(), Map.of());
  }

  /** The shape of the config whose resolved values are {@code values}; bad input on a bad flag. */
  public static ConfigShape of(Rig rig, Path runDir, Map<String, Object> values) {
    Switches sw = Switches.of(rig, values);
    Map<String, String> env = new LinkedHashMap<>(ValueEnv.of(values));
    env.put(RUN_DIR, runDir.toString());
    Rig shaped = rig.withStack(rig.stack().withProfiles(sw.profiles()));
    // Every suite's condition is evaluated now, so a bad one fails before the stack starts.
    Map<String, String> skipped = new LinkedHashMap<>();
    for (SuiteSpec suite : rig.suites()) {
      String why = Switches.skipReason(rig, suite, values);
      if (why == null
          && suite instanceof SuiteSpec.ComposeService cs
          && sw.disabled().containsKey(cs.service())) {
        why = "service '" + cs.service() + "' is " + sw.disabled().get(cs.service());
      }
      if (why != null) {
        skipped.put(suite.name(), why);
      }
    }
    return new ConfigShape(shaped, env, sw.disabled(), skipped);
  }

  /** Null when the suite runs in this config, else why it is skipped. */
  public String skipReason(SuiteSpec suite) {
    return skipped.get(suite.name());
  }
}

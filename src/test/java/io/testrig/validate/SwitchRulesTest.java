package io.testrig.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.testrig.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule "a flag that disables a service others hard-depend on" (issue 9, items 2 and 5) in the
 * one validation pass: {@code validate}, {@code run} and {@code up} exit 2 naming both services and
 * the matrix config, with nothing created; an optional dependency passes. Compose answers {@code
 * config} without an engine.
 */
class SwitchRulesTest {
  @TempDir Path dir;

  private static final String RIG =
      """
      stack:
        files: [compose.yml]
        services:
          metrics: {enabled_if: features.monitoring}
      matrix:
        features.monitoring: [true, false]
      """;

  private Path rig(String dependency) throws Exception {
    Files.writeString(
        dir.resolve("compose.yml"),
        "services:\n"
            + "  web:\n"
            + "    image: testrig-validate/none:${TESTRIG_VALUE_FEATURES_MONITORING:?values reach"
            + " compose}\n"
            + "    depends_on:\n"
            + "      metrics: "
            + dependency
            + "\n"
            + "  metrics:\n"
            + "    image: testrig-validate/none:1\n");
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, RIG);
    return rig;
  }

  private int run(String command, Path rig, StringWriter err) {
    List<String> args =
        List.of(
            command,
            "-f",
            rig.toString(),
            "--run-dir",
            dir.resolve("run").toString(),
            "--artifacts",
            dir.resolve("artifacts").toString());
    List<String> used = command.equals("validate") ? args.subList(0, 5) : args;
    return Main.run(
        used.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
  }

  @Test
  void aHardDependencyOnAServiceAFlagDisablesIsRejectedNamingBothAndTheConfig() throws Exception {
    Path rig = rig("{condition: service_started}");
    for (String command : List.of("validate", "run", "up")) {
      StringWriter err = new StringWriter();
      assertEquals(2, run(command, rig, err), command + ": " + err);
      assertEquals(
          "testrig: "
              + rig
              + ":4: stack.services.metrics.enabled_if: service 'web' depends on 'metrics', which"
              + " is disabled by features.monitoring=false; give 'web' the same enabled_if, or make"
              + " the dependency optional (depends_on: {metrics: {required: false}}) (config"
              + " features.monitoring=false)\n",
          err.toString(),
          command);
      assertFalse(Files.exists(dir.resolve("run")), command + ": no run directory");
      assertFalse(Files.exists(dir.resolve("artifacts")), command + ": no artifacts");
    }
  }

  @Test
  void anOptionalDependencyPasses() throws Exception {
    Path rig = rig("{condition: service_started, required: false}");
    StringWriter err = new StringWriter();
    assertEquals(0, run("validate", rig, err), err.toString());
  }
}

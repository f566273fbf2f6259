package io.testrig.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import io.testrig.rig.Switches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Services a flag switched off ({@code stack.services.<svc>.enabled_if}, issue 9 item 2), in the
 * stack's bring-up: they are never created or started, so they never delay the run; each gets a
 * skipped status and a log file that say why. Which services depend on which comes from compose's
 * own model ({@code docker compose config --format json}), never from reading the YAML.
 */
final class Disabled {
  private Disabled() {}

  /**
   * The services to bring up: those the profiles enable, less the disabled ones. An enabled service
   * that hard-depends on a disabled one is bad input (exit 2) naming both, before anything is
   * created.
   */
  static List<String> enabled(
      ComposeModel model, List<String> byProfiles, Map<String, String> disabled, String where) {
    if (disabled.isEmpty()) {
      return byProfiles;
    }
    Map<String, List<String>> hard = new LinkedHashMap<>();
    for (String s : byProfiles) {
      hard.put(s, hardDependencies(model, s));
    }
    List<String> problems = Switches.hardDependents(hard, byProfiles, disabled);
    if (!problems.isEmpty()) {
      String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
      throw TestrigException.badInput(where + ": " + problems.get(0) + more);
    }
    List<String> out = new ArrayList<>(byProfiles);
    out.removeAll(disabled.keySet());
    return out;
  }

  /** depends_on entries without {@code required: false}. */
  static List<String> hardDependencies(ComposeModel model, String service) {
    List<String> out = new ArrayList<>();
    JsonNode d = model.service(service).path("depends_on");
    for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().path("required").asBoolean(true)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * The bring-up statuses plus one skipped status per disabled service the profiles would have
   * enabled, in model order; each is announced to {@code progress} and gets {@code
   * <logs>/<service>.log} with the reason.
   */
  static List<ServiceStatus> withDisabled(
      ComposeModel model,
      List<ServiceStatus> statuses,
      List<String> byProfiles,
      Map<String, String> disabled,
      ProgressListener progress,
      Path logs) {
    if (disabled.isEmpty()) {
      return statuses;
    }
    Map<String, ServiceStatus> by = new LinkedHashMap<>();
    statuses.forEach(s -> by.put(s.service(), s));
    List<ServiceStatus> out = new ArrayList<>();
    for (String s : model.services()) {
      if (by.containsKey(s)) {
        out.add(by.remove(s));
      } else if (disabled.containsKey(s) && byProfiles.contains(s)) {
        String why = disabled.get(s);
        out.add(new ServiceStatus(s, ServiceStatus.State.SKIPPED, "disabled", Duration.ZERO, why));
        progress.onService(s, ServiceStatus.State.SKIPPED, why);
        writeLog(logs.resolve(s + ".log"), "testrig: service '" + s + "' not started: " + why);
      }
    }
    out.addAll(by.values());
    return out;
  }

  private static void writeLog(Path file, String line) {
    try {
      Files.createDirectories(file.getParent());
      SafePaths.requireFileTarget(file, "artifact");
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TestrigException.io("cannot write " + file + ": " + LogSaver.reason(e), e);
    }
  }
}

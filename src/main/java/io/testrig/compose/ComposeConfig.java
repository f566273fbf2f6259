package io.testrig.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.backend.ComposeBackend;
import io.testrig.backend.ComposeProject;
import io.testrig.core.Exec;
import io.testrig.core.Redactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker compose config --format json} for the validation pass (issue 9, item 5): compose's
 * own loading and checks, with every profile enabled, without an engine and without creating
 * anything. testrig never parses compose YAML itself.
 */
public final class ComposeConfig {
  /** The project name the check runs under; it only shapes default network names. */
  public static final String PROJECT = "testrig-validate";

  /**
   * What compose made of the files.
   *
   * @param rejection compose's first error line when it rejected them, else null
   * @param profiles every service and the profiles it belongs to (empty: always on)
   * @param dependsOn every service and the services its {@code depends_on} names
   * @param hostnames every name a container answers to on the stack's networks: service names,
   *     network aliases, {@code hostname} and {@code container_name}
   * @param hardDependsOn every service and the services it hard-depends on ({@code depends_on}
   *     without {@code required: false})
   */
  public record Resolved(
      String rejection,
      Map<String, List<String>> profiles,
      Map<String, Set<String>> dependsOn,
      Set<String> hostnames,
      Map<String, List<String>> hardDependsOn) {
    public boolean accepted() {
      return rejection == null;
    }

    public Set<String> services() {
      return profiles.keySet();
    }

    /** Every profile some service belongs to. */
    public Set<String> allProfiles() {
      Set<String> all = new LinkedHashSet<>();
      profiles.values().forEach(all::addAll);
      return all;
    }
  }

  private ComposeConfig() {}

  /** {@code name} when compose accepts it as a project name, else {@link #PROJECT}. */
  public static String projectOr(String name) {
    return name != null && ProjectNames.VALID.matcher(name).matches() ? name : PROJECT;
  }

  /**
   * Asks {@code compose} (no engine needed) for its model of the project, with every profile
   * enabled; {@code redactor} masks its error output.
   */
  public static Resolved resolve(ComposeBackend compose, Redactor redactor) {
    return resolved(compose.config(StackService.CONFIG_TIMEOUT), redactor);
  }

  /**
   * As {@link #resolve(ComposeBackend, Redactor)} for {@code project}, and remembered ({@link
   * ConfigMemo}): the bring-up of the same project with the same files and environment right after
   * the validation pass ({@code testrig up}) reuses the model instead of starting compose again.
   */
  public static Resolved resolve(
      ComposeProject project, ComposeBackend compose, Redactor redactor) {
    Exec.Result r = compose.config(StackService.CONFIG_TIMEOUT);
    if (r.ok()) {
      ConfigMemo.remember(project, r);
    }
    return resolved(r, redactor);
  }

  private static Resolved resolved(Exec.Result r, Redactor redactor) {
    if (!r.ok()) {
      return new Resolved(
          StackService.firstLine(redactor.redact(r.stderr())),
          Map.of(),
          Map.of(),
          Set.of(),
          Map.of());
    }
    ComposeModel model = ComposeModel.parse(r.stdout());
    Map<String, List<String>> profiles = new LinkedHashMap<>();
    Map<String, Set<String>> deps = new LinkedHashMap<>();
    Map<String, List<String>> hard = new LinkedHashMap<>();
    Set<String> hostnames = new LinkedHashSet<>();
    for (String s : model.services()) {
      hostnames.addAll(names(s, model.service(s)));
      List<String> ps = new ArrayList<>();
      for (JsonNode p : model.service(s).path("profiles")) {
        ps.add(p.asText());
      }
      profiles.put(s, List.copyOf(ps));
      deps.put(s, Set.copyOf(model.dependsOn(s).keySet()));
      hard.put(s, Disabled.hardDependencies(model, s));
    }
    return new Resolved(null, profiles, deps, hostnames, hard);
  }

  private static Set<String> names(String service, JsonNode s) {
    Set<String> out = new LinkedHashSet<>();
    out.add(service);
    for (String key : List.of("hostname", "container_name")) {
      if (s.path(key).isTextual()) {
        out.add(s.path(key).asText());
      }
    }
    s.path("networks").forEach(n -> n.path("aliases").forEach(a -> out.add(a.asText())));
    return out;
  }
}

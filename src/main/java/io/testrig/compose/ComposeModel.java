package io.testrig.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.testrig.core.TestrigException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The resolved compose model, as {@code docker compose config --format json} prints it with every
 * profile enabled. testrig never parses compose YAML itself: compose does interpolation, merging,
 * extends and profiles.
 */
final class ComposeModel {
  static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode root;

  private ComposeModel(JsonNode root) {
    this.root = root;
  }

  static ComposeModel parse(String json) {
    try {
      return new ComposeModel(JSON.readTree(json));
    } catch (Exception e) {
      throw TestrigException.badInput("docker compose config printed no JSON: " + e.getMessage());
    }
  }

  /** Every service name, in model order. */
  List<String> services() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * Services enabled by {@code active} profiles: those without profiles, and those with one of the
   * active profiles (https://docs.docker.com/compose/how-tos/profiles/).
   */
  List<String> enabledServices(List<String> active) {
    List<String> out = new ArrayList<>();
    for (String s : services()) {
      JsonNode profiles = service(s).path("profiles");
      if (!profiles.isArray() || profiles.isEmpty()) {
        out.add(s);
        continue;
      }
      for (JsonNode p : profiles) {
        if (active.contains(p.asText()) || active.contains("*")) {
          out.add(s);
          break;
        }
      }
    }
    return out;
  }

  JsonNode service(String name) {
    return root.path("services").path(name);
  }

  /** depends_on of a service: dependency → condition (service_started by default). */
  Map<String, String> dependsOn(String service) {
    Map<String, String> deps = new LinkedHashMap<>();
    JsonNode d = service(service).path("depends_on");
    for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      deps.put(e.getKey(), e.getValue().path("condition").asText("service_started"));
    }
    return deps;
  }

  /** Services some other enabled service waits on with {@code service_completed_successfully}. */
  Set<String> oneShot(List<String> enabled) {
    return dependencies(enabled, "service_completed_successfully"::equals);
  }

  /**
   * Services whose readiness some other enabled service waits for ({@code service_healthy} or
   * {@code service_completed_successfully}); the others only matter once everything is up.
   */
  Set<String> waitedOn(List<String> enabled) {
    return dependencies(enabled, cond -> !"service_started".equals(cond));
  }

  /** The dependencies of the enabled services whose depends_on condition passes {@code when}. */
  private Set<String> dependencies(List<String> enabled, Predicate<String> when) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : enabled) {
      dependsOn(s)
          .forEach(
              (dep, cond) -> {
                if (when.test(cond)) {
                  out.add(dep);
                }
              });
    }
    return out;
  }

  /** The image a service uses, or null. */
  String image(String service) {
    JsonNode i = service(service).path("image");
    return i.isTextual() ? i.asText() : null;
  }

  boolean hasBuild(String service) {
    return !service(service).path("build").isMissingNode();
  }

  /** Names of networks compose creates for the project (external ones excluded). */
  List<String> networkNames() {
    return names("networks");
  }

  List<String> volumeNames() {
    return names("volumes");
  }

  private List<String> names(String section) {
    List<String> out = new ArrayList<>();
    root.path(section)
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().path("external").asBoolean(false)) {
                out.add(e.getValue().path("name").asText(e.getKey()));
              }
            });
    return out;
  }

  /**
   * An override file (JSON is valid compose YAML) that adds {@code labels} to every service, and to
   * every network and volume compose creates; compose merges label maps across files
   * (https://docs.docker.com/reference/compose-file/merge/).
   */
  String labelOverride(Map<String, String> labels) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode services = o.putObject("services");
    for (String s : services()) {
      services.putObject(s).set("labels", JSON.valueToTree(labels));
    }
    for (String section : List.of("networks", "volumes")) {
      ObjectNode out = JSON.createObjectNode();
      root.path(section)
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().path("external").asBoolean(false)) {
                  out.putObject(e.getKey()).set("labels", JSON.valueToTree(labels));
                }
              });
      if (!out.isEmpty()) {
        o.set(section, out);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.testrig.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.compose.ProjectCompose;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running stack's services and the addresses they publish on the host, from {@code docker compose
 * ps --all --format json} (one JSON object per line since compose 2.21, an array before).
 */
public final class Services {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Services() {}

  /**
   * One service: its state and every published {@code host:port} with the container port it maps
   * to; {@code ports} are container ports exposed but not published (reachable inside the stack
   * network only).
   */
  public record Service(String name, String state, List<Address> published, List<Integer> ports) {}

  /** {@code host:port} on the host, forwarding to {@code target} in the container. */
  public record Address(String host, int port, int target, String protocol) {
    public String hostPort() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The project's services, by name; none when the project has no container. */
  public static List<Service> of(ProjectCompose compose) {
    var r =
        compose.exec().run(compose.command(List.of("ps", "--all", "--format", "json")), TIMEOUT);
    if (!r.ok()) {
      throw new TestrigException(ExitCode.ENGINE_UNAVAILABLE, compose.exec().failureMessage(r));
    }
    return parse(r.stdout());
  }

  /** Parses {@code ps --format json} output (NDJSON or an array). */
  static List<Service> parse(String json) {
    List<JsonNode> rows = new ArrayList<>();
    try {
      String t = json.strip();
      if (t.startsWith("[")) {
        JSON.readTree(t).forEach(rows::add);
      } else {
        for (String line : t.split("\n")) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new TestrigException(
          ExitCode.INTERNAL, "unexpected output of docker compose ps: " + e.getMessage(), e);
    }
    Map<String, Service> byName = new TreeMap<>();
    for (JsonNode row : rows) {
      String name = row.path("Service").asText();
      List<Address> published = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      for (JsonNode p : row.path("Publishers")) {
        int target = p.path("TargetPort").asInt();
        int port = p.path("PublishedPort").asInt();
        if (port == 0) {
          if (!ports.contains(target)) {
            ports.add(target);
          }
          continue;
        }
        Address a = new Address(hostOf(p.path("URL").asText()), port, target, protocol(p));
        // Compose lists a port bound on every address twice (0.0.0.0 and ::): show it once.
        if (published.stream().noneMatch(x -> x.port() == a.port())) {
          published.add(a);
        }
      }
      Service prev = byName.get(name);
      if (prev == null) {
        byName.put(name, new Service(name, row.path("State").asText(), published, ports));
      } else {
        prev.published().addAll(published);
      }
    }
    return List.copyOf(byName.values());
  }

  private static String protocol(JsonNode p) {
    String proto = p.path("Protocol").asText();
    return proto.isEmpty() ? "tcp" : proto;
  }

  /** A wildcard bind is reached on the loopback address. */
  private static String hostOf(String url) {
    return switch (url) {
      case "", "0.0.0.0" -> "127.0.0.1";
      case "::" -> "::1";
      default -> url;
    };
  }
}

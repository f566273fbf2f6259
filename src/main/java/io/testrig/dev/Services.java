package io.testrig.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.Resource;
import io.testrig.compose.ProjectCompose;
import io.testrig.core.ExitCode;
import io.testrig.core.Parallel;
import io.testrig.core.TestrigException;
import io.testrig.engine.Labels;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running stack's services and the addresses they publish on the host, as {@code docker compose
 * ps --all --format json} shows them (one JSON object per line since compose 2.21, an array
 * before): from the engine when its backend reports ports, else from compose.
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

  /**
   * The project's services, by name; none when the project has no container. From the engine's
   * containers of the project and their inspection when the backend reports exposed ports ({@link
   * ContainerInfo#ports()}): no compose process (issue 11: {@code up} printed its info block after
   * one more {@code docker compose ps}, about 0.1 s). Otherwise, or when a container went away
   * meanwhile, from {@code compose ps} as {@link #of(ProjectCompose)}.
   */
  public static List<Service> of(Backend backend, ProjectCompose compose) {
    List<Resource> found =
        new ArrayList<>(
            backend.listContainers(LabelFilter.of(Labels.COMPOSE_PROJECT, compose.project())));
    // compose ps --all: every container of the project, one-off ones included, sorted by name.
    found.removeIf(c -> c.labels().get(Labels.COMPOSE_SERVICE) == null);
    found.sort(Comparator.comparing(Resource::name));
    List<ContainerInfo> inspected = Parallel.map(found, c -> inspected(backend, c.id()));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      ContainerInfo c = inspected.get(i);
      if (c == null || c.ports() == null) {
        return of(compose);
      }
      rows.add(row(found.get(i).labels().get(Labels.COMPOSE_SERVICE), c));
    }
    return services(rows);
  }

  private static ContainerInfo inspected(Backend backend, String id) {
    try {
      return backend.inspectContainer(id);
    } catch (BackendException.NotFound e) {
      return null;
    }
  }

  /** A container as {@code compose ps} shows it: its ports sorted as compose sorts them. */
  private static Row row(String service, ContainerInfo c) {
    List<Publisher> pubs = new ArrayList<>();
    for (ContainerInfo.Port p : c.ports()) {
      pubs.add(new Publisher(p.hostIp(), p.hostPort(), p.target(), p.protocol()));
    }
    pubs.sort(
        Comparator.comparingInt(Publisher::target)
            .thenComparing(Publisher::protocol)
            .thenComparingInt(Publisher::published)
            .thenComparing(Publisher::url));
    return new Row(service, c.status(), pubs);
  }

  /** The project's services, by name, from {@code docker compose ps}. */
  public static List<Service> of(ProjectCompose compose) {
    var r =
        compose.exec().run(compose.command(List.of("ps", "--all", "--format", "json")), TIMEOUT);
    if (!r.ok()) {
      throw new TestrigException(ExitCode.ENGINE_UNAVAILABLE, compose.exec().failureMessage(r));
    }
    return parse(r.stdout());
  }

  /** One row of {@code compose ps}: a container's service, state and port publishers. */
  private record Row(String service, String state, List<Publisher> publishers) {}

  /** One entry of a row's {@code Publishers}: a published port is non-zero. */
  private record Publisher(String url, int published, int target, String protocol) {}

  /** Parses {@code ps --format json} output (NDJSON or an array). */
  static List<Service> parse(String json) {
    List<JsonNode> nodes = new ArrayList<>();
    try {
      String t = json.strip();
      if (t.startsWith("[")) {
        JSON.readTree(t).forEach(nodes::add);
      } else {
        for (String line : t.split("\n")) {
          if (!line.isBlank()) {
            nodes.add(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new TestrigException(
          ExitCode.INTERNAL, "unexpected output of docker compose ps: " + e.getMessage(), e);
    }
    List<Row> rows = new ArrayList<>();
    for (JsonNode row : nodes) {
      List<Publisher> pubs = new ArrayList<>();
      for (JsonNode p : row.path("Publishers")) {
        pubs.add(
            new Publisher(
                p.path("URL").asText(),
                p.path("PublishedPort").asInt(),
                p.path("TargetPort").asInt(),
                protocol(p)));
      }
      rows.add(new Row(row.path("Service").asText(), row.path("State").asText(), pubs));
    }
    return services(rows);
  }

  /** The rows merged by service: the first row's state, every row's addresses. */
  private static List<Service> services(List<Row> rows) {
    Map<String, Service> byName = new TreeMap<>();
    for (Row row : rows) {
      List<Address> published = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      for (Publisher p : row.publishers()) {
        if (p.published() == 0) {
          if (!ports.contains(p.target())) {
            ports.add(p.target());
          }
          continue;
        }
        Address a = new Address(hostOf(p.url()), p.published(), p.target(), p.protocol());
        // Compose lists a port bound on every address twice (0.0.0.0 and ::): show it once.
        if (published.stream().noneMatch(x -> x.port() == a.port())) {
          published.add(a);
        }
      }
      Service prev = byName.get(row.service());
      if (prev == null) {
        byName.put(row.service(), new Service(row.service(), row.state(), published, ports));
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

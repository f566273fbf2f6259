package io.testrig.backend.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.ContainerSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's container JSON both ways: what inspect answers, what create is sent. */
final class Inspection {
  private Inspection() {}

  /**
   * The fields of {@code GET /containers/{id}/json} orchestration reads
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerInspect).
   */
  static ContainerInfo container(JsonNode c) {
    JsonNode st = c.path("State");
    JsonNode exit = st.get("ExitCode");
    return new ContainerInfo(
        EngineJson.text(c, "Id"),
        EngineJson.text(st, "Status"),
        st.path("Running").asBoolean(false),
        exit == null || exit.isNull() ? null : exit.asLong(),
        st.path("OOMKilled").asBoolean(false),
        healthcheck(c.path("Config").get("Healthcheck")),
        ip(c.path("NetworkSettings").get("Networks")),
        tcpPorts(c.path("NetworkSettings").get("Ports")),
        ports(c.path("NetworkSettings").get("Ports")));
  }

  /**
   * Every exposed port with each of its host bindings, as {@code compose ps} lists publishers: an
   * exposed but unpublished port (null bindings) once with host port 0.
   */
  static List<ContainerInfo.Port> ports(JsonNode ports) {
    List<ContainerInfo.Port> out = new ArrayList<>();
    if (ports == null || !ports.isObject()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      int slash = key.indexOf('/');
      String proto = slash < 0 ? "tcp" : key.substring(slash + 1);
      int target;
      try {
        target = Integer.parseInt(slash < 0 ? key : key.substring(0, slash));
      } catch (NumberFormatException ignored) {
        continue; // not a port the engine would report
      }
      JsonNode bindings = e.getValue();
      if (bindings == null || !bindings.isArray() || bindings.isEmpty()) {
        out.add(new ContainerInfo.Port(target, proto, "", 0));
        continue;
      }
      for (JsonNode b : bindings) {
        out.add(new ContainerInfo.Port(target, proto, EngineJson.text(b, "HostIp"), hostPort(b)));
      }
    }
    return out;
  }

  private static int hostPort(JsonNode binding) {
    try {
      return Integer.parseInt(String.valueOf(EngineJson.text(binding, "HostPort")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Config.Healthcheck: null without a test; Timeout in nanoseconds, absent means default. */
  private static ContainerInfo.Healthcheck healthcheck(JsonNode hc) {
    JsonNode test = hc == null ? null : hc.get("Test");
    if (test == null || !test.isArray() || test.isEmpty()) {
      return null;
    }
    List<String> args = new ArrayList<>();
    test.forEach(t -> args.add(t.asText()));
    JsonNode timeout = hc.get("Timeout");
    return new ContainerInfo.Healthcheck(
        args, timeout == null || timeout.isNull() ? null : timeout.asLong());
  }

  /** The address on the first network (in the engine's order) that has one. */
  private static String ip(JsonNode networks) {
    if (networks == null || !networks.isObject()) {
      return null;
    }
    for (Iterator<JsonNode> it = networks.elements(); it.hasNext(); ) {
      String ip = EngineJson.text(it.next(), "IPAddress");
      if (ip != null && !ip.isEmpty()) {
        return ip;
      }
    }
    return null;
  }

  /**
   * NetworkSettings.Ports: {@code "80/tcp": [{"HostIp": ..., "HostPort": "49153"}, ...]} or null
   * when exposed but not published; the first binding's host port of each TCP port.
   */
  private static Map<Integer, String> tcpPorts(JsonNode ports) {
    Map<Integer, String> out = new LinkedHashMap<>();
    if (ports == null || !ports.isObject()) {
      return out;
    }
    ports
        .fields()
        .forEachRemaining(
            e -> {
              String key = e.getKey();
              int slash = key.indexOf('/');
              String proto = slash < 0 ? "tcp" : key.substring(slash + 1);
              JsonNode b = e.getValue();
              if (proto.equals("tcp") && b != null && b.isArray() && !b.isEmpty()) {
                try {
                  int port = Integer.parseInt(slash < 0 ? key : key.substring(0, slash));
                  out.put(port, EngineJson.text(b.get(0), "HostPort"));
                } catch (NumberFormatException ignored) {
                  // Not a port the engine would report; nothing to probe.
                }
              }
            });
    return out;
  }

  /**
   * The body of {@code POST /containers/create}
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerCreate): image,
   * labels, env, the command when one is given (else the image's), and in HostConfig the memory
   * limit, network and read-only binds; the alias goes into NetworkingConfig for that network.
   */
  static Map<String, Object> createBody(ContainerSpec spec) {
    Map<String, Object> host = new LinkedHashMap<>();
    if (spec.memoryBytes() != null) {
      // Swap as large as memory means no swap: a container over its limit meets the OOM killer
      // instead of crawling (https://docs.docker.com/engine/containers/resource_constraints/).
      host.put("Memory", spec.memoryBytes());
      host.put("MemorySwap", spec.memoryBytes());
    }
    if (spec.network() != null) {
      host.put("NetworkMode", spec.network());
    }
    if (!spec.readOnlyMounts().isEmpty()) {
      List<String> binds = new ArrayList<>();
      spec.readOnlyMounts().forEach((from, to) -> binds.add(from + ":" + to + ":ro"));
      host.put("Binds", binds);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Image", spec.image());
    body.put("Labels", spec.labels());
    body.put("Env", spec.env());
    if (!spec.cmd().isEmpty()) {
      body.put("Cmd", spec.cmd());
    }
    body.put("HostConfig", host);
    if (spec.alias() != null && spec.network() != null) {
      body.put(
          "NetworkingConfig",
          Map.of(
              "EndpointsConfig", Map.of(spec.network(), Map.of("Aliases", List.of(spec.alias())))));
    }
    return body;
  }
}

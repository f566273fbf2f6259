package io.testrig.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.core.Exec;
import io.testrig.core.Redactor;
import io.testrig.rig.ValueEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack's addresses a JVM suite on the host can reach (issue 9, item 4): a host JVM is not on
 * the stack network, so it reaches a service only through a published port. Compose says which
 * ports are published ({@code docker compose ps --format json}, its {@code Publishers}); for every
 * published TCP port of a service the suite gets
 *
 * <ul>
 *   <li>environment {@code TESTRIG_SERVICE_<SERVICE>_<PORT>=host:port}, {@code ..._HOST} and {@code
 *       ..._PORT} ({@code <SERVICE>} named as values are: upper case, other characters {@code _});
 *   <li>system properties {@code testrig.service.<service>.<port>=host:port}, {@code .host} and
 *       {@code .port}.
 * </ul>
 *
 * The host is the address the port is bound to, or for a wildcard binding the engine's host ({@code
 * 127.0.0.1} for a local engine). A stack that publishes no port at all is a problem the suite
 * reports as its error, before it runs.
 *
 * @param env variables for the suite's process
 * @param properties system properties for its JVM
 * @param problem why none is reachable, or null
 */
record LocalAddresses(Map<String, String> env, Map<String, String> properties, String problem) {
  static final String NONE_PUBLISHED =
      "no service of the stack publishes a port, so a JVM suite on the host can reach none:"
          + " publish the ports it needs (ports: in the compose file) or run it in a container"
          + " (image:); docs/rig-file.md, \"Suites see the run\"";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Asks compose for the stack's published ports. */
  static LocalAddresses of(SuiteTarget.Compose compose, String engineHost, Redactor redactor) {
    List<String> cmd = new ArrayList<>(compose.command());
    cmd.addAll(List.of("ps", "--format", "json"));
    Exec exec = new Exec(redactor::redact);
    if (compose.workDir() != null) {
      exec.workDir(compose.workDir());
    }
    compose.env().forEach(exec::env);
    Exec.Result r = exec.run(cmd, Duration.ofSeconds(60));
    if (!r.ok()) {
      return new LocalAddresses(
          Map.of(), Map.of(), "cannot list the stack's ports: " + exec.failureMessage(r));
    }
    return parse(r.stdout(), engineHost);
  }

  /** From {@code ps --format json} output: one JSON object per line, or one array (older). */
  static LocalAddresses parse(String psJson, String engineHost) {
    List<JsonNode> rows = new ArrayList<>();
    try {
      String t = psJson.strip();
      if (t.startsWith("[")) {
        JSON.readTree(t).forEach(rows::add);
      } else {
        for (String line : t.split("\r?\n")) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    } catch (java.io.IOException e) {
      return new LocalAddresses(
          Map.of(), Map.of(), "compose ps printed no JSON: " + e.getMessage());
    }
    Map<String, String> byKey = new LinkedHashMap<>(); // "service port" -> host:port
    for (JsonNode row : rows) {
      String service = row.path("Service").asText();
      for (JsonNode p : row.path("Publishers")) {
        int published = p.path("PublishedPort").asInt(0);
        if (published == 0 || !"tcp".equals(p.path("Protocol").asText("tcp"))) {
          continue;
        }
        String host = host(p.path("URL").asText(""), engineHost);
        String key = service + " " + p.path("TargetPort").asInt();
        // IPv4 first: a wildcard binding is listed for 0.0.0.0 and for ::.
        if (!byKey.containsKey(key) || byKey.get(key).startsWith("[")) {
          byKey.put(key, (host.contains(":") ? "[" + host + "]" : host) + ":" + published);
        }
      }
    }
    if (byKey.isEmpty()) {
      return new LocalAddresses(Map.of(), Map.of(), NONE_PUBLISHED);
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> props = new LinkedHashMap<>();
    byKey.forEach(
        (key, address) -> {
          String service = key.substring(0, key.indexOf(' '));
          String port = key.substring(key.indexOf(' ') + 1);
          int colon = address.lastIndexOf(':');
          String host = address.substring(0, colon).replace("[", "").replace("]", "");
          String hostPort = address.substring(colon + 1);
          String var =
              "TESTRIG_SERVICE_"
                  + ValueEnv.name(service).substring(ValueEnv.PREFIX.length())
                  + "_"
                  + port;
          env.put(var, address);
          env.put(var + "_HOST", host);
          env.put(var + "_PORT", hostPort);
          String prop = "testrig.service." + service + "." + port;
          props.put(prop, address);
          props.put(prop + ".host", host);
          props.put(prop + ".port", hostPort);
        });
    return new LocalAddresses(env, props, null);
  }

  private static String host(String url, String engineHost) {
    return url.isEmpty() || url.equals("0.0.0.0") || url.equals("::") ? engineHost : url;
  }
}

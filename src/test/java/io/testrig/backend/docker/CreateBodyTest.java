package io.testrig.backend.docker;

import static io.testrig.backend.docker.UnixHttpServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.testrig.backend.ContainerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What testrig's client sends to create a container is what docker-java sent for the same spec
 * before testrig had its own client (the code it replaced, re-done here with docker-java as the
 * oracle): same JSON (as trees, so field order does not matter) and the same name parameter.
 */
class CreateBodyTest {
  @TempDir Path dir;

  static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void theCreateRequestMatchesDockerJavasForEverySpecField() throws Exception {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("io.testrig.run", "r1");
    labels.put("io.testrig.suite", "it");
    List<ContainerSpec> specs =
        List.of(
            new ContainerSpec(
                "img:1",
                "testrig-r1-suite",
                labels,
                List.of("A=1", "B=two words"),
                List.of("sh", "-c", "echo \"$A\""),
                256L * 1024 * 1024,
                "testrig-r1_default",
                "suite",
                Map.of("/run/user/0/testrig/r1", "/run/testrig")),
            new ContainerSpec("img:2", "plain", Map.of(), List.of(), List.of(), null, null, null));
    try (UnixHttpServer server =
        new UnixHttpServer(
            dir,
            (r, out) -> {
              if (r.target().endsWith("/version")) {
                json(out, 200, "{\"Version\":\"20.10.99\",\"ApiVersion\":\"1.41\"}");
              } else {
                json(out, 201, "{\"Id\":\"new\",\"Warnings\":[]}");
              }
            })) {
      DockerBackend ours =
          DockerConnect.connect(Map.of("DOCKER_HOST", server.host()), Duration.ofSeconds(5));
      DockerClient theirs = dockerJava(server.host());
      for (ContainerSpec spec : specs) {
        server.requests.clear();
        assertEquals("new", ours.createContainer(spec));
        dockerJavaCreate(theirs, spec).exec();
        List<UnixHttpServer.Request> sent = server.requests("/v1.41/containers/create");
        assertEquals(2, sent.size(), server.requests::toString);
        assertEquals(sent.get(1).target(), sent.get(0).target());
        JsonNode expected = withoutNulls(MAPPER.readTree(sent.get(1).body()));
        JsonNode actual = withoutNulls(MAPPER.readTree(sent.get(0).body()));
        assertEquals(expected, actual, spec.name());
      }
    }
  }

  /**
   * docker-java writes every field it knows, as null or an empty map when unset; the engine decodes
   * null, {} and an absent field alike (Go's encoding/json leaves the zero value), so they are
   * dropped before comparing.
   */
  static JsonNode withoutNulls(JsonNode n) {
    if (n instanceof ObjectNode o) {
      List<String> drop = new ArrayList<>();
      o.fields()
          .forEachRemaining(
              e -> {
                withoutNulls(e.getValue());
                if (e.getValue().isNull() || (e.getValue().isObject() && e.getValue().isEmpty())) {
                  drop.add(e.getKey());
                }
              });
      o.remove(drop);
    }
    return n;
  }

  private static DockerClient dockerJava(String host) {
    var config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host)
            .withApiVersion("1.41")
            .build();
    return DockerClientImpl.getInstance(
        config,
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .connectionTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** DockerBackend.createContainer as it was written on docker-java. */
  private static CreateContainerCmd dockerJavaCreate(DockerClient client, ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig();
    if (spec.memoryBytes() != null) {
      host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
    }
    if (spec.network() != null) {
      host.withNetworkMode(spec.network());
    }
    if (!spec.readOnlyMounts().isEmpty()) {
      host.withBinds(
          spec.readOnlyMounts().entrySet().stream()
              .map(m -> new Bind(m.getKey(), new Volume(m.getValue()), AccessMode.ro))
              .toList());
    }
    CreateContainerCmd cmd =
        client
            .createContainerCmd(spec.image())
            .withName(spec.name())
            .withLabels(spec.labels())
            .withEnv(spec.env())
            .withHostConfig(host);
    if (!spec.cmd().isEmpty()) {
      cmd.withCmd(spec.cmd());
    }
    if (spec.alias() != null) {
      cmd.withAliases(spec.alias());
    }
    return cmd;
  }
}

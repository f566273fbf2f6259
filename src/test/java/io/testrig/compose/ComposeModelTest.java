package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComposeModelTest {
  // The shape `docker compose config --format json` prints (compose 2.26).
  static final String MODEL =
      """
      {"name":"p","networks":{"default":{"name":"p_default","ipam":{}},
        "ext":{"name":"shared","external":true}},
       "services":{
        "db":{"image":"postgres:16","healthcheck":{"test":["CMD","pg_isready"]}},
        "migrate":{"image":"app","depends_on":{"db":{"condition":"service_healthy","required":true}}},
        "api":{"build":{"context":"."},"depends_on":{
            "migrate":{"condition":"service_completed_successfully","required":true},
            "db":{"condition":"service_started","required":true}}},
        "tests":{"image":"t","profiles":["suite"]}},
       "volumes":{"data":{"name":"p_data"},"old":{"name":"old","external":true}}}
      """;

  @Test
  void profilesDependenciesAndOneShots() {
    ComposeModel m = ComposeModel.parse(MODEL);
    assertEquals(List.of("db", "migrate", "api"), m.enabledServices(List.of()));
    assertEquals(List.of("db", "migrate", "api", "tests"), m.enabledServices(List.of("suite")));
    assertEquals(
        Map.of("migrate", "service_completed_successfully", "db", "service_started"),
        m.dependsOn("api"));
    assertEquals(Set.of("migrate"), m.oneShot(m.enabledServices(List.of())));
    // db: migrate waits for it healthy (api's service_started alone would not count); api: nobody.
    assertEquals(Set.of("db", "migrate"), m.waitedOn(m.enabledServices(List.of())));
    assertTrue(m.hasBuild("api"));
    assertEquals("postgres:16", m.image("db"));
    assertEquals(List.of("p_default"), m.networkNames());
    assertEquals(List.of("p_data"), m.volumeNames());
  }

  @Test
  void overrideLabelsEveryServiceAndEveryOwnedNetworkAndVolume() throws Exception {
    ComposeModel m = ComposeModel.parse(MODEL);
    JsonNode o = ComposeModel.JSON.readTree(m.labelOverride(Map.of("io.testrig.run-id", "x1")));
    for (String s : List.of("db", "migrate", "api", "tests")) {
      assertEquals(
          "x1", o.path("services").path(s).path("labels").path("io.testrig.run-id").asText());
    }
    assertEquals(
        "x1", o.path("networks").path("default").path("labels").path("io.testrig.run-id").asText());
    assertEquals(
        "x1", o.path("volumes").path("data").path("labels").path("io.testrig.run-id").asText());
    assertFalse(o.path("networks").has("ext"), "external networks belong to someone else");
    assertFalse(o.path("volumes").has("old"));
  }

  @Test
  void logTailStripsEngineTimestamps() {
    String log = "2026-11-21T13:53:16.916595651Z first\n2026-11-21T13:53:17.000000000Z second\n";
    assertEquals("first | second", LogSaver.tail(log, 5));
    assertEquals("second", LogSaver.tail(log, 1));
    assertEquals("(no output)", LogSaver.tail("", 3));
  }
}

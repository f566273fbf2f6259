package io.testrig.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 9, items 1-3: value names for compose, conditions, switches, and their static checks. */
class ShapeTest {
  private static final Path FILE = Path.of("/repo/testrig.yml");

  @ParameterizedTest
  @CsvSource({
    "db.version, TESTRIG_VALUE_DB_VERSION",
    "db.max-conn, TESTRIG_VALUE_DB_MAX_CONN",
    "features.client_cert, TESTRIG_VALUE_FEATURES_CLIENT_CERT",
    "Cache, TESTRIG_VALUE_CACHE",
    "a b.c, TESTRIG_VALUE_A_B_C"
  })
  void valueNames(String path, String name) {
    assertEquals(name, ValueEnv.name(path));
  }

  @Test
  void everyScalarBecomesAVariableFlagsAsTrueOrFalse() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("db", Map.of("version", 17L, "memory", "256m"));
    values.put("features", Map.of("cache", false));
    values.put("hosts", List.of("a", "b"));
    values.put("nested", List.of(Map.of("x", 1)));
    values.put("empty", null);
    Map<String, String> env = ValueEnv.of(values);
    assertEquals("17", env.get("TESTRIG_VALUE_DB_VERSION"));
    assertEquals("256m", env.get("TESTRIG_VALUE_DB_MEMORY"));
    assertEquals("false", env.get("TESTRIG_VALUE_FEATURES_CACHE"));
    assertEquals("a,b", env.get("TESTRIG_VALUE_HOSTS"));
    assertEquals("", env.get("TESTRIG_VALUE_EMPTY"));
    assertNull(env.get("TESTRIG_VALUE_NESTED"), "a list of mappings is left out");
    assertEquals(5, env.size());
  }

  @Test
  void twoPathsWithOneNameAreRejected() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("db", Map.of("version", 1));
    values.put("db_version", 2);
    TestrigException e = assertThrows(TestrigException.class, () -> ValueEnv.of(values));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        "values 'db.version' and 'db_version' both become TESTRIG_VALUE_DB_VERSION for compose;"
            + " rename one (docs/rig-file.md, \"Values in compose\")",
        e.getMessage());
  }

  @Test
  void validateRejectsACollisionBetweenAValueAndAMatrixAxis() {
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                new RigLoader()
                    .parse(
                        FILE,
                        """
                        values:
                          db-version: 15
                        matrix:
                          db.version: ["15", "17"]
                        """));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        "/repo/testrig.yml:4: matrix.db.version: values 'db-version' and 'db.version' both"
            + " become TESTRIG_VALUE_DB_VERSION for compose; rename one (docs/rig-file.md,"
            + " \"Values in compose\")",
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "features.cache | true | true | features.cache=true",
        "features.cache | false | false | features.cache=false",
        "!features.cache | false | true | features.cache=false",
        "! features.cache | true | false | features.cache=true",
        "db.version == 17 | 17 | true | db.version=17",
        "db.version == '17' | 17 | true | db.version=17",
        "db.version != 17 | 15 | true | db.version=15",
        "db.version == 17 | 15 | false | db.version=15"
      })
  void conditions(String text, String raw, boolean holds, String seen) {
    Object v = raw.equals("true") || raw.equals("false") ? Boolean.valueOf(raw) : (Object) raw;
    String path = text.contains("db.version") ? "db.version" : "features.cache";
    String[] seg = path.split("\\.");
    Map<String, Object> values = Map.of(seg[0], Map.of(seg[1], v));
    Condition.Outcome o = Condition.parse(text).evaluate(values, "k");
    assertEquals(holds, o.holds());
    assertEquals(seen, o.seen());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"features cache", "== 17", "a.b ==", "a..b", "{{ x }}", "a && b"})
  void badConditionsDoNotParse(String text) {
    assertNull(Condition.parse(text));
  }

  @Test
  void aConditionNeedsItsValueAndABoolean() {
    Condition c = Condition.parse("features.cache");
    TestrigException missing =
        assertThrows(TestrigException.class, () -> c.evaluate(Map.of(), "suites.x.when"));
    assertEquals(
        "suites.x.when: 'features.cache' reads value features.cache, which is not set in this"
            + " config",
        missing.getMessage());
    TestrigException notBool =
        assertThrows(
            TestrigException.class,
            () -> c.evaluate(Map.of("features", Map.of("cache", "yes")), "suites.x.when"));
    assertEquals(
        "suites.x.when: 'features.cache' needs true or false, but features.cache=yes in this"
            + " config",
        notBool.getMessage());
  }

  @Test
  void validateNamesABadConditionByKeyAndLine() {
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                new RigLoader()
                    .parse(
                        FILE,
                        """
                        suites:
                          - name: a
                            image: x
                            when: ssl enabled
                        """));
    assertEquals("/repo/testrig.yml:4: suites[0].when: " + Condition.SYNTAX, e.getMessage());
    TestrigException e2 =
        assertThrows(
            TestrigException.class,
            () ->
                new RigLoader()
                    .parse(
                        FILE,
                        """
                        stack:
                          files: [compose.yml]
                          services:
                            cache: {enabled_if: "{{ features.cache }}"}
                        """));
    // Both rules speak: a condition is no template, and this is no condition.
    assertEquals(
        "/repo/testrig.yml:4: stack.services.cache.enabled_if: "
            + Condition.SYNTAX
            + "; /repo/testrig.yml:4: stack.services.cache.enabled_if: '{{' is not rendered here:"
            + " testrig renders template files only, and uses this key as written",
        e2.getMessage());
  }

  private static Rig rig(String yaml) {
    return new RigLoader().parse(FILE, yaml);
  }

  @Test
  void switchesDisableServicesEnableProfilesAndSkipSuites() {
    Rig rig =
        rig(
            """
            values: {features: {cache: false, monitoring: true}, ssl: {enabled: false}}
            stack:
              files: [compose.yml]
              profiles: [base]
              profiles_if: {monitoring: features.monitoring, debug: features.cache}
              services:
                cache: {enabled_if: features.cache}
                api: {enabled_if: "!features.cache"}
            suites:
              - {name: always, image: x}
              - {name: tls, image: x, when: ssl.enabled}
              - {name: cache-tests, service: cache}
            """);
    ConfigShape shape = ConfigShape.of(rig, Path.of("/run/x"), rig.values());
    assertEquals(Map.of("cache", "disabled by features.cache=false"), shape.disabled());
    assertEquals(List.of("base", "monitoring"), shape.rig().stack().profiles());
    assertNull(shape.skipReason(rig.suites().get(0)));
    assertEquals(
        "skipped by when: ssl.enabled (ssl.enabled=false)", shape.skipReason(rig.suites().get(1)));
    assertEquals(
        "service 'cache' is disabled by features.cache=false",
        shape.skipReason(rig.suites().get(2)));
    assertEquals("/run/x", shape.composeEnv().get("TESTRIG_RUN_DIR"));
    assertEquals("false", shape.composeEnv().get("TESTRIG_VALUE_FEATURES_CACHE"));
    assertEquals("true", shape.composeEnv().get("TESTRIG_VALUE_FEATURES_MONITORING"));
  }

  @Test
  void aMatrixConfigsValuesDecide() {
    Rig rig =
        rig(
            """
            stack:
              files: [compose.yml]
              services:
                cache: {enabled_if: features.cache}
            matrix:
              features.cache: [true, false]
            """);
    List<Matrix.Config> configs = Matrix.expand(rig);
    Map<String, Object> on = Map.of("features", Map.of("cache", true));
    Map<String, Object> off = Map.of("features", Map.of("cache", false));
    assertEquals(Map.of(), ConfigShape.of(rig, Path.of("/r"), on).disabled());
    assertEquals(
        Map.of("cache", "disabled by features.cache=false"),
        ConfigShape.of(rig, Path.of("/r"), off).disabled());
    assertEquals(2, configs.size());
    TestrigException unset =
        assertThrows(TestrigException.class, () -> ConfigShape.of(rig, Path.of("/r"), Map.of()));
    assertEquals(
        "/repo/testrig.yml: stack.services.cache.enabled_if: 'features.cache' reads value"
            + " features.cache, which is not set in this config",
        unset.getMessage());
  }

  @Test
  void staticValuesSetAMatrixConfigsAxesOnTheRigsValues() {
    Rig rig =
        rig(
            """
            values: {db: {version: "17", name: app}, features: {cache: true}}
            matrix:
              db.version: ["15", "17"]
              features.cache: [true, false]
            """);
    Matrix.Config first = Matrix.expand(rig).get(1); // 15, false
    Map<String, Object> v = Switches.staticValues(rig, first.values());
    assertEquals(Map.of("version", "15", "name", "app"), v.get("db"));
    assertEquals(Map.of("cache", false), v.get("features"));
    assertEquals(Map.of("version", "17", "name", "app"), rig.values().get("db"), "untouched");
  }

  @Test
  void hardDependentsOfADisabledServiceAreNamedWithIt() {
    Map<String, List<String>> deps =
        Map.of("api", List.of("cache", "db"), "worker", List.of("db"), "cache", List.of());
    List<String> problems =
        Switches.hardDependents(
            deps,
            List.of("api", "worker", "cache", "db"),
            Map.of("cache", "disabled by features.cache=false"));
    assertEquals(
        List.of(
            "stack.services.cache.enabled_if: service 'api' depends on 'cache', which is disabled"
                + " by features.cache=false; give 'api' the same enabled_if, or make the"
                + " dependency optional (depends_on: {cache: {required: false}})"),
        problems);
    assertEquals(
        List.of(),
        Switches.hardDependents(
            deps,
            List.of("api", "worker", "cache", "db"),
            Map.of("cache", "disabled by x=false", "api", "disabled by x=false")),
        "a dependent that is disabled too is fine");
  }
}

package io.testrig.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RigLoaderTest {
  private final RigLoader loader = new RigLoader();
  private static final Path FILE = Path.of("/repo/testrig.yml");

  /**
   * The warm-up's rig (issue 11) is valid and has a stack, as most rig files do; a renamed key
   * makes it fail here instead of silently warming less.
   */
  @Test
  void theWarmUpRigIsValid() {
    RigLoader.Checked c = loader.check(Path.of("warm-up.yml"), RigLoader.WARM_RIG);
    assertEquals(List.of(), c.problems());
    assertEquals("warm-up", c.rig().name());
    assertEquals(List.of("compose.yml"), c.rig().stack().files());
    RigLoader.warm();
  }

  @Test
  void fullRigParsesWithDefaults() {
    Rig rig =
        loader.parse(
            FILE,
            """
            name: shop
            values:
              db: {name: app}
              monitoring: {enabled: false}
            templates:
              - from: config/
                to: conf
            secrets:
              generators:
                apikey: {kind: hex, length: 40}
            certs:
              ca: {key: rsa-3072, name_constraints: true}
              issue:
                postgres: {dns: [postgres, localhost], ip: [127.0.0.1]}
                app: {usage: [client], pk8: true}
            stack:
              files: [compose.yml]
              timeout: 90s
              services:
                api: {probe: {http: "http://api:8080/health"}, timeout: 500ms}
            suites:
              - {name: sql, service: tests-sql}
            matrix:
              pg: [16, 17]
            """);
    assertEquals("shop", rig.displayName());
    assertEquals(Path.of("/repo"), rig.dir());
    assertEquals("conf", rig.templates().get(0).to());
    assertEquals(".j2", rig.templates().get(0).stripSuffix());
    assertEquals("TESTRIG_", rig.secrets().envPrefix());
    assertEquals(40, rig.secrets().generators().get("apikey").length());
    assertEquals("rsa-3072", rig.certs().ca().key());
    assertTrue(rig.certs().ca().nameConstraints());
    assertEquals(List.of("server"), rig.certs().issue().get("postgres").usage());
    assertEquals(397, rig.certs().issue().get("postgres").validityDays());
    assertTrue(rig.certs().issue().get("app").pk8());
    assertEquals(Duration.ofSeconds(90), rig.stack().timeout());
    assertEquals(Duration.ofMillis(500), rig.stack().services().get("api").timeout());
    assertEquals(
        new StackSpec.ProbeSpec.Http("http://api:8080/health"),
        rig.stack().services().get("api").probe());
    assertEquals("/reports", rig.suites().get(0).reports());
    assertEquals(List.of(16, 17), rig.matrix().get("pg"));
  }

  @Test
  void emptyFileIsAnEmptyRig() {
    Rig rig = loader.parse(FILE, "");
    assertTrue(rig.templates().isEmpty());
    assertTrue(rig.certs().isEmpty());
    assertTrue(rig.stack().isEmpty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "valuez: {}|/repo/testrig.yml:1: valuez: unknown key",
        "templates:\\n  - from: x\\n    too: y|/repo/testrig.yml:3: templates[0].too: unknown key",
        "stack:\\n  timeout: [1]|/repo/testrig.yml:2: stack.timeout: wrong type, expected a duration like 30s",
        "stack:\\n  timeout: soon|/repo/testrig.yml:2: stack.timeout: expected a duration like 500ms, 30s, 2m or 1h, got 'soon'",
        "templates: {from: x}|/repo/testrig.yml:1: templates: wrong type, expected a list",
        "certs:\\n  issue:\\n    db:\\n      usage: [server, clinet]|/repo/testrig.yml:4: certs.issue.db.usage[1]: must be server or client",
        "certs:\\n  ca: {key: dsa}|/repo/testrig.yml:2: certs.ca.key: must be one of [ecdsa-p256, rsa-2048, rsa-3072, rsa-4096]",
        "certs:\\n  issue:\\n    db: {validity_days: 0}|/repo/testrig.yml:3: certs.issue.db.validity_days: must be between 1 and 36500",
        "templates:\\n  - to: x|/repo/testrig.yml:2: templates[0].from: is required",
        "templates:\\n  - from: x\\n    to: ../etc|/repo/testrig.yml:3: templates[0].to: must be a path inside the run directory",
        "stack:\\n  services:\\n    api:\\n      probe: {tcp: 1, log: x}|/repo/testrig.yml:4: stack.services.api.probe: needs exactly one of tcp, http, log, command",
        "stack:\\n  services:\\n    api: {reload: HUP}|/repo/testrig.yml:3: stack.services.api.reload: must be restart or a signal name such as SIGHUP",
        "stack:\\n  services:\\n    api:\\n      probe:\\n        http: x\\n        command: [y]|/repo/testrig.yml:4: stack.services.api.probe: needs exactly one of tcp, http, log, command",
        "stack:\\n  services:\\n    api:\\n      probe: {}|/repo/testrig.yml:4: stack.services.api.probe: needs exactly one of tcp, http, log, command",
        "stack:\\n  services:\\n    api:\\n      probe: {udp: 53}|/repo/testrig.yml:4: stack.services.api.probe.udp: unknown key (known: command, http, log, tcp)",
        "stack:\\n  services:\\n    api:\\n      probe: {tcp: x}|/repo/testrig.yml:4: stack.services.api.probe.tcp: wrong type, expected a whole number",
        "suites:\\n  - {name: a, service: x, image: y}|/repo/testrig.yml:2: suites[0]: needs exactly one of service, image or junit",
        "suites:\\n  - {name: a, service: x}\\n  - {name: a, service: y}|/repo/testrig.yml:3: suites[1].name: 'a' is used twice",
        "matrix:\\n  pg: []|/repo/testrig.yml:2: matrix.pg: must be a non-empty list",
        "name: a\\nname: b|/repo/testrig.yml:2: invalid YAML: Duplicate field 'name'",
      })
  void badInputNamesFileLineAndKey(String yaml, String expected) {
    TestrigException e =
        assertThrows(TestrigException.class, () -> loader.parse(FILE, yaml.replace("\\n", "\n")));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith(expected), () -> "got: " + e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
  }

  @Test
  void missingFileIsBadInput(@TempDir Path dir) {
    TestrigException e =
        assertThrows(TestrigException.class, () -> loader.load(dir.resolve("nope.yml")));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().endsWith("nope.yml: rig file not found"));
  }

  @Test
  void loadAnchorsRelativePathsAtTheRigDirectory(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("sub/testrig.yml");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "stack: {files: [compose.yml]}\n");
    Rig rig = loader.load(f);
    assertEquals(dir.resolve("sub/compose.yml").toAbsolutePath(), rig.resolve("compose.yml"));
    assertEquals("sub", rig.displayName());
  }

  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "15,PT15S"})
  void durations(String text, String iso) {
    assertEquals(Duration.parse(iso), RigLoader.parseDuration(text));
  }
}

package io.testrig.secrets;

import static io.testrig.Fixtures.mode;
import static io.testrig.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.Fixtures;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
  @TempDir Path tmp;

  private Rig rig(String yaml) {
    return Fixtures.rig(write(tmp.resolve("proj/testrig.yml"), yaml));
  }

  private RunDir runDir(Rig rig) {
    return RunDir.resolve(rig, tmp.resolve("run"));
  }

  @Test
  void generatesOnFirstUseReusesAndPersists() throws Exception {
    Rig rig = rig("{}");
    RunDir dir = runDir(rig);
    Redactor redactor = new Redactor();
    SecretStore s = SecretStore.open(rig, dir, null, redactor);
    String a = s.secret("password.db.app");
    assertEquals(a, s.secret("password.db.app"));
    assertNotEquals(a, s.secret("password.db.admin"));
    assertTrue(s.dirty());
    s.save();
    assertEquals(dir.configFile(), s.file());
    assertEquals("rw-------", mode(s.file()));
    Map<?, ?> json = new ObjectMapper().readValue(s.file().toFile(), Map.class);
    assertEquals(a, ((Map<?, ?>) ((Map<?, ?>) json.get("password")).get("db")).get("app"));
    assertEquals("[MASKED password.db.app]", redactor.redact(a));

    Redactor fresh = new Redactor();
    SecretStore again = SecretStore.open(rig, dir, null, fresh);
    assertEquals(a, again.secret("password.db.app"));
    assertFalse(again.dirty());
    assertEquals(
        "x [MASKED password.db.app] y", fresh.redact("x " + a + " y"), "loaded values are masked");
  }

  @Test
  void saveReplacesAtomicallyWith0600AndLeavesNoTempFile() throws Exception {
    Rig rig = rig("{}");
    Path config = write(tmp.resolve("persist/config.json"), "{\"db\": {\"name\": \"prod\"}}");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    Object inodeBefore = Files.getAttribute(config, "unix:ino");
    SecretStore s = SecretStore.open(rig, runDir(rig), config, new Redactor());
    assertTrue(s.persistent());
    s.secret("token.api");
    s.save();
    assertEquals("rw-------", mode(config));
    assertNotEquals(
        inodeBefore, Files.getAttribute(config, "unix:ino"), "renamed over, not rewritten");
    try (Stream<Path> files = Files.list(config.getParent())) {
      assertEquals(1, files.count(), "no temp file left");
    }
    Map<?, ?> json = new ObjectMapper().readValue(config.toFile(), Map.class);
    assertEquals(Map.of("name", "prod"), json.get("db"), "plain keys are kept");
    assertEquals(Map.of("db", Map.of("name", "prod")), s.plainValues());
  }

  @Test
  void rotateReplacesOneValueOnly() {
    Rig rig = rig("{}");
    SecretStore s = SecretStore.open(rig, runDir(rig), null, new Redactor());
    String a = s.secret("password.a");
    String b = s.secret("password.b");
    s.rotate("password.a");
    assertNotEquals(a, s.secret("password.a"));
    assertEquals(b, s.secret("password.b"));
    assertEquals(32, s.secret("password.a").length());
  }

  @Test
  void rigGeneratorsBecomeNamespaces() {
    Rig rig =
        rig(
            "secrets:\n  generators:\n    pin: {kind: chars, alphabet: \"0123456789\", length: 10}\n");
    SecretStore s = SecretStore.open(rig, runDir(rig), null, new Redactor());
    assertTrue(s.namespaces().contains("pin"));
    assertTrue(s.secret("pin.door").matches("[0-9]{10}"));
  }

  @Test
  void groupAndLeafConflictsAreBadInput() {
    Rig rig = rig("{}");
    SecretStore s = SecretStore.open(rig, runDir(rig), null, new Redactor());
    s.secret("password.db.app");
    TestrigException e = assertThrows(TestrigException.class, () -> s.secret("password.db"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("group"), e.getMessage());
    e = assertThrows(TestrigException.class, () -> s.secret("password.db.app.x"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    e = assertThrows(TestrigException.class, () -> s.secret("nosuch.x"));
    assertTrue(e.getMessage().contains("not a secret path"), e.getMessage());
    e = assertThrows(TestrigException.class, () -> s.secret("password.a b"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  @Test
  void invalidConfigJsonIsOneLineWithoutItsContent() {
    Rig rig = rig("{}");
    Path config =
        write(tmp.resolve("c.json"), "{\"password\": {\"a\": \"Sup3rSecretValue\",\n oops}");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> SecretStore.open(rig, runDir(rig), config, new Redactor()));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(config + ":2: invalid JSON in config", e.getMessage());
  }

  @Test
  void namespaceThatIsNotAnObjectIsBadInput() {
    Rig rig = rig("{}");
    Path config = write(tmp.resolve("c.json"), "{\"password\": \"flat\"}");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> SecretStore.open(rig, runDir(rig), config, new Redactor()));
    assertTrue(e.getMessage().contains("password: must be an object"), e.getMessage());
  }

  @Test
  void rigSecretsConfigIsPersistentAndRelativeToTheRig() {
    Rig rig = rig("secrets:\n  config: state/config.json\n");
    SecretStore s = SecretStore.open(rig, runDir(rig), null, new Redactor());
    assertEquals(tmp.resolve("proj/state/config.json"), s.file());
    assertTrue(s.persistent());
    s.secret("password.x");
    s.save();
    assertEquals("rw-------", mode(s.file()));
  }
}

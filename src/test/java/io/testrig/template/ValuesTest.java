package io.testrig.template;

import static io.testrig.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.Fixtures;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValuesTest {
  @TempDir Path tmp;

  private Rig rig;
  private SecretStore store;

  private void setUp(String config) {
    rig =
        Fixtures.rig(
            write(
                tmp.resolve("testrig.yml"),
                "values:\n  a: {b: rig, c: rig, d: rig, e: rig, keep: rig}\n  flag: false\n"));
    Path cfg = write(tmp.resolve("config.json"), config);
    store = SecretStore.open(rig, RunDir.resolve(rig, tmp.resolve("run")), cfg, new Redactor());
  }

  @Test
  void precedenceIsRigThenConfigThenOverlayThenSetThenEnv() {
    setUp("{\"a\": {\"b\": \"config\", \"c\": \"config\", \"d\": \"config\", \"e\": \"config\"}}");
    Map<String, Object> overlay = Map.of("a.c", "matrix", "a.d", "matrix", "a.e", "matrix");
    Map<String, String> set = new LinkedHashMap<>();
    set.put("a.d", "set");
    set.put("a.e", "set");
    Map<String, String> env = Map.of("TESTRIG_a__e", "env", "OTHER_a__e", "ignored");
    Map<String, Object> v = Values.resolve(rig, store, overlay, set, env);
    assertEquals(
        Map.of("b", "config", "c", "matrix", "d", "set", "e", "env", "keep", "rig"), v.get("a"));
  }

  @Test
  void stringsAreCoercedSensibly() {
    assertEquals(true, Values.coerce("true"));
    assertEquals(false, Values.coerce("false"));
    assertEquals(5432L, Values.coerce("5432"));
    assertEquals(-1.5, Values.coerce("-1.5"));
    assertEquals("007", Values.coerce("007"));
    assertEquals("True", Values.coerce("True"));
    assertEquals("1.2.3", Values.coerce("1.2.3"));
    setUp("{}");
    Map<String, Object> v =
        Values.resolve(rig, store, Map.of(), Map.of("flag", "true", "new.deep.key", "7"), Map.of());
    assertEquals(true, v.get("flag"));
    assertEquals(Map.of("deep", Map.of("key", 7L)), v.get("new"));
  }

  @Test
  void envPrefixComesFromTheRig() {
    rig = Fixtures.rig(write(tmp.resolve("testrig.yml"), "secrets: {env_prefix: APP_}\n"));
    store = SecretStore.open(rig, RunDir.resolve(rig, tmp.resolve("run")), null, new Redactor());
    Map<String, Object> v =
        Values.resolve(rig, store, Map.of(), Map.of(), Map.of("APP_db__max_conns", "20"));
    assertEquals(Map.of("max_conns", 20L), v.get("db"));
  }

  @Test
  void secretPathsGoToTheStoreUncoerced() {
    setUp("{}");
    Map<String, Object> v =
        Values.resolve(rig, store, Map.of(), Map.of("password.db.app", "12345678"), Map.of());
    assertEquals("12345678", store.secret("password.db.app"));
    assertTrue(!v.containsKey("password"));
  }

  @Test
  void badKeysAreOneLineBadInput() {
    setUp("{}");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> Values.resolve(rig, store, Map.of(), Map.of("a..b", "x"), Map.of()));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("--set: 'a..b'"), e.getMessage());
    e =
        assertThrows(
            TestrigException.class,
            () -> Values.resolve(rig, store, Map.of(), Map.of("password", "x"), Map.of()));
    assertTrue(e.getMessage().contains("generator"), e.getMessage());
  }

  @Test
  void aValueNamedLikeAGeneratorIsRejected() {
    // The rig loader refuses it, naming file and line (issue 7, item 15), before Values sees it.
    Path file = write(tmp.resolve("testrig.yml"), "values: {token: abc}\n");
    TestrigException e = assertThrows(TestrigException.class, () -> Fixtures.rig(file));
    assertEquals(
        file + ":1: values.token: a value cannot use the name of the secret generator 'token'",
        e.getMessage());
  }
}

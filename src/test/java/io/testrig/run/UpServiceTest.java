package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.core.CallCount;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import io.testrig.validate.Validation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failure rule of the shared prepare-and-up path, without an engine. */
class UpServiceTest {
  @TempDir Path dir;
  private final StringWriter sink = new StringWriter();
  private final Output out =
      Output.forEnvironment(
          new PrintWriter(sink), new PrintWriter(sink), Map.<String, String>of()::get, false);

  private Rig rig(String template) throws Exception {
    Files.createDirectories(dir.resolve("t"));
    Files.writeString(dir.resolve("t/app.ini.j2"), template);
    Path file = dir.resolve("testrig.yml");
    Files.writeString(
        file,
        "templates:\n  - from: t\ncerts:\n  issue:\n    db: {dns: [db]}\n"
            + "stack: {files: [compose.yml]}\n");
    Files.writeString(dir.resolve("compose.yml"), "services: {db: {image: x}}\n");
    return new RigLoader().load(file);
  }

  private UpService service(Rig rig, Path runDir) {
    return new UpService(
        rig,
        new UpService.Options(runDir, null, Map.of(), null, dir.resolve("artifacts")),
        new Redactor(),
        out,
        Map.of());
  }

  @Test
  void noEngineWipesTheRunDirectoryItClaimed() throws Exception {
    Path runDir = dir.resolve("run");
    TestrigException down = new TestrigException(ExitCode.ENGINE_UNAVAILABLE, "no engine", null);
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                service(rig("pw={{ password.db }}\n"), runDir)
                    .up(
                        () -> {
                          // Claimed before connecting: gc finds it if this process dies here.
                          assertTrue(Files.exists(runDir.resolve(Orphans.OWNER_FILE)));
                          throw down;
                        },
                        ProcessHandle.current()));
    assertSame(down, e);
    assertFalse(Files.exists(runDir), "the run directory with config.json and keys is wiped");
  }

  @Test
  void aTemplateThatFailsWipesCertsAndSecretsAndNeverBringsTheStackUp() throws Exception {
    Path runDir = dir.resolve("run");
    AtomicBoolean connected = new AtomicBoolean();
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                service(rig("{{ nope.missing }}\n"), runDir)
                    .up(
                        () -> {
                          connected.set(true);
                          return null; // prepare fails before the engine is used
                        },
                        ProcessHandle.current()));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(connected.get());
    assertFalse(Files.exists(runDir), "certs and config.json made before the failure are gone");
  }

  @Test
  void upAsksComposeOnceForTheModelAndNotAtAllForItsInfo() throws Exception {
    Path file = dir.resolve("testrig.yml");
    Files.writeString(file, "stack: {files: [compose.yml]}\n");
    Files.writeString(dir.resolve("compose.yml"), "services: {db: {image: fake/image:1}}\n");
    Path runDir = dir.resolve("run");
    String project = "testrig-unit-" + Long.toHexString(System.nanoTime());
    FakeBackend fake = new FakeBackend();
    fake.service("db");
    // An environment variable with the rig's env prefix is a value (TESTRIG_VALUE_TRACE_CALLS).
    Map<String, String> env = Map.of("TESTRIG_TRACE_CALLS", "1");
    int before = CallCount.compose();
    // As UpCommand does: the validation pass asks compose under the project's own name, with the
    // values the bring-up will have.
    Rig rig =
        Validation.load(
            file,
            runDir,
            env,
            r ->
                new Validation.ComposeAs(
                    project, UpService.expectedValues(r, Map.of("db.port", "5432"), env)));
    assertEquals(before + 1, CallCount.compose(), "the validation's docker compose config");
    UpService.Started s =
        new UpService(
                rig,
                new UpService.Options(
                    runDir, null, Map.of("db.port", "5432"), project, dir.resolve("art")),
                new Redactor(),
                out,
                env)
            .up(() -> Engine.of(fake, "unix:///fake.sock", Map.of()), ProcessHandle.current());
    assertEquals(1, s.ready());
    assertTrue(s.info().contains("  db (running): no ports"), s.info());
    // Neither a second config (the bring-up's preflight) nor a compose ps (the info block).
    assertEquals(before + 1, CallCount.compose(), "no other compose process");
    assertFalse(fake.calls().contains("compose config " + project), fake.calls().toString());
    assertTrue(fake.calls().contains("compose create " + project), fake.calls().toString());
    fake.close();
  }

  @Test
  void expectedValuesAreTheRigsWithSetAndEnvironmentOnTopAndNoSecrets() throws Exception {
    Path file = dir.resolve("testrig.yml");
    Files.writeString(
        file,
        "values: {db: {name: app, port: 1}}\n"
            + "secrets: {generators: {password: {length: 20}}}\n"
            + "stack: {files: [compose.yml]}\n");
    Files.writeString(dir.resolve("compose.yml"), "services: {db: {image: x}}\n");
    Rig rig = new RigLoader().load(file);
    Map<String, Object> v =
        UpService.expectedValues(
            rig,
            Map.of("db.port", "2", "password.db", "s3cret"),
            Map.of("TESTRIG_db__name", "other", "HOME", "/root"));
    assertEquals(Map.of("db", Map.of("name", "other", "port", "2")), v);
    // A matrix rig is validated with its first config's values, as `validate` does.
    Files.writeString(file, "matrix: {db.port: [1, 2]}\nstack: {files: [compose.yml]}\n");
    assertNull(UpService.expectedValues(new RigLoader().load(file), Map.of(), Map.of()));
  }
}

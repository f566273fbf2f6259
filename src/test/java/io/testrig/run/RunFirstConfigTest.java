package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.backend.FakeBackend;
import io.testrig.core.CallCount;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.engine.Engine;
import io.testrig.rig.Rig;
import io.testrig.validate.Validation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@code run}'s validation pass asks compose as its first config's bring-up will (run id,
 * project, run directory, values), so that bring-up reuses the answer instead of starting a second
 * {@code docker compose config}; the other configs still ask for their own model.
 */
class RunFirstConfigTest {
  @TempDir Path dir;
  private final StringWriter sink = new StringWriter();
  private final Output out =
      Output.forEnvironment(
          new PrintWriter(sink), new PrintWriter(sink), Map.<String, String>of()::get, false);

  private Path rigFile() throws Exception {
    Path file = dir.resolve("testrig.yml");
    Files.writeString(
        file,
        "values: {db: {port: 1}}\n"
            + "stack: {files: [compose.yml]}\n"
            + "matrix: {db.port: [5432, 5433]}\n");
    // The config's value reaches compose: another value would be another model.
    Files.writeString(
        dir.resolve("compose.yml"),
        "services: {db: {image: fake/image:1, environment: {PORT: \"${TESTRIG_VALUE_DB_PORT}\"}}}\n");
    return file;
  }

  /** Validates as RunCommand does, then runs every config on the fake engine; its compose calls. */
  private List<String> run(String project, String only) throws Exception {
    Path file = rigFile();
    Map<String, String> env = Map.of();
    FakeBackend fake = new FakeBackend();
    fake.service("db");
    RunService.FirstConfig[] first = new RunService.FirstConfig[1];
    int before = CallCount.compose();
    Rig rig =
        Validation.load(
            file,
            null,
            env,
            r -> {
              first[0] = RunService.firstConfig(r, only, project, null, Map.of(), env);
              return new Validation.ComposeAs(
                  first[0].project(), first[0].values(), first[0].runDir());
            });
    assertEquals(before + 1, CallCount.compose(), "the validation's docker compose config");
    RunService.Options opts =
        new RunService.Options(
            dir.resolve("artifacts"), null, only, 2, project, null, null, Map.of());
    RunService.Outcome o =
        new RunService(rig, opts, new Redactor(), out, new Cleanup(), env, first[0])
            .run(() -> Engine.of(fake, "unix:///fake.sock", Map.of()));
    assertEquals(ExitCode.OK, o.exitCode(), sink::toString);
    assertEquals(before + 1, CallCount.compose(), "no compose process besides the validation's");
    List<String> calls = fake.calls();
    fake.close();
    assertTrue(calls.contains("compose create " + first[0].project()), calls::toString);
    assertFalse(
        calls.contains("compose config " + first[0].project()),
        "the first config reused the validation's model: " + calls);
    return calls;
  }

  @Test
  void theFirstConfigOfAMatrixReusesTheValidationsModelTheSecondAsksForItsOwn() throws Exception {
    String project = "testrig-unit-" + Long.toHexString(System.nanoTime());
    List<String> calls = run(project, null);
    assertTrue(calls.contains("compose create " + project + "-5432"), calls::toString);
    assertTrue(calls.contains("compose config " + project + "-5433"), calls::toString);
    assertTrue(calls.contains("compose create " + project + "-5433"), calls::toString);
  }

  @Test
  void withOnlyAndNoProjectTheChosenConfigRunsUnderThePlannedRunId() throws Exception {
    List<String> calls = run(null, "5433");
    assertEquals(
        1, calls.stream().filter(c -> c.startsWith("compose create ")).count(), calls::toString);
    assertTrue(calls.stream().noneMatch(c -> c.startsWith("compose config ")), calls::toString);
  }

  @Test
  void aMatrixConfigThatDoesNotExistIsLeftToTheRunToReport() throws Exception {
    Rig rig = new io.testrig.rig.RigLoader().load(rigFile());
    assertNull(RunService.firstConfig(rig, "nope", null, null, Map.of(), Map.of()));
  }
}

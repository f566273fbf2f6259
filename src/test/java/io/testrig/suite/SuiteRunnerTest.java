package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.SuiteSpec;
import io.testrig.support.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad rig input is refused before anything starts (no engine is even needed). */
class SuiteRunnerTest {
  @TempDir Path tmp;

  TestrigException refused(SuiteSpec spec, SuiteTarget target) {
    SuiteRunner runner =
        new SuiteRunner(null, tmp.resolve("artifacts"), new Redactor(), tmp.resolve("none.jar"));
    TestrigException e = assertThrows(TestrigException.class, () -> runner.run(spec, target));
    assertFalse(Files.exists(tmp.resolve("artifacts")), "nothing written");
    return e;
  }

  SuiteTarget target(SuiteTarget.Compose compose) {
    return new SuiteTarget("r1", null, compose, Map.of(), Map.of(), tmp);
  }

  @Test
  void serviceSuiteNeedsAComposeStack() {
    SuiteSpec spec = Suites.named("e2e").service("tests").build();
    TestrigException e = refused(spec, target(null));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals("suites.e2e.service: needs a compose stack (stack.files)", e.getMessage());
  }

  // A service suite's memory and a JVM suite's command are refused where the rig file is read
  // (rig.SuiteSpecTest): the suite kinds cannot hold them.

  @Test
  void containerSuiteWithoutEngineIsEngineUnavailable() {
    SuiteSpec spec = Suites.named("c").image("img").command("true").build();
    assertEquals(ExitCode.ENGINE_UNAVAILABLE, refused(spec, target(null)).exitCode());
  }

  @Test
  void localJvmSuiteNeedsTheConsoleLauncher() {
    SuiteSpec spec = Suites.named("jvm").junit(List.of(), null, true).build();
    SuiteRunner runner =
        new SuiteRunner(null, tmp.resolve("artifacts"), new Redactor(), tmp.resolve("none.jar"));
    TestrigException e = assertThrows(TestrigException.class, () -> runner.run(spec, target(null)));
    assertEquals(
        "suites.jvm.junit: the JUnit console launcher is not at "
            + tmp.resolve("none.jar")
            + " (set TESTRIG_JUNIT_CONSOLE)",
        e.getMessage());
  }

  @Test
  void jvmSuiteWithAMissingClasspathEntryIsRefusedBeforeItStarts() throws Exception {
    Path jar = Files.writeString(tmp.resolve("console.jar"), "");
    SuiteSpec spec = Suites.named("jvm").junit(List.of("missing.jar"), null, true).build();
    SuiteRunner runner = new SuiteRunner(null, tmp.resolve("artifacts"), new Redactor(), jar);
    TestrigException e = assertThrows(TestrigException.class, () -> runner.run(spec, target(null)));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("suites.jvm.junit.classpath[0]: "), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("artifacts")));
  }

  @Test
  void containerNamesAreUniquePerRunAndSuite() {
    SuiteSpec spec = Suites.named("api").image("img").build();
    SuiteTarget t = new SuiteTarget("job/42", null, null, null, null, tmp);
    String a = SuiteRunner.containerName(t, spec);
    assertTrue(a.matches("testrig-suite-job42-api-[0-9a-f]{6}"), a);
    assertFalse(a.equals(SuiteRunner.containerName(t, spec)));
  }
}

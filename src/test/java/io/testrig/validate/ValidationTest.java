package io.testrig.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.cli.Main;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per validation rule (issue 9, items 5 and 6), through the CLI in this JVM: {@code
 * validate}, {@code run} and {@code up} each exit 2 with the same lines, one per problem, and
 * create no run directory and no artifacts. The compose rules ask the docker CLI's compose plugin
 * ({@code config} needs no engine); that nothing reaches the engine is {@code run.ValidationIT}'s
 * part.
 */
class ValidationTest {
  /** A stack of two services, one behind a profile; the image is never pulled or run here. */
  static final String COMPOSE =
      """
      services:
        db:
          image: testrig-validate/none:1
          networks: {default: {aliases: [database]}}
        tests:
          image: testrig-validate/none:1
          profiles: [tests]
      """;

  @TempDir Path dir;

  private Path rig(String yaml) throws Exception {
    Files.writeString(dir.resolve("compose.yml"), COMPOSE);
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, yaml);
    return rig;
  }

  /** Runs validate, run and up on {@code rig}; each must print exactly {@code lines}, exit 2. */
  private void assertRejected(Path rig, String... lines) {
    for (String command : List.of("validate", "run", "up")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Path runDir = dir.resolve("run");
      Path artifacts = dir.resolve("artifacts");
      List<String> args =
          command.equals("validate")
              ? List.of(command, "-f", rig.toString(), "--run-dir", runDir.toString())
              : List.of(
                  command,
                  "-f",
                  rig.toString(),
                  "--run-dir",
                  runDir.toString(),
                  "--artifacts",
                  artifacts.toString());
      int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
      assertEquals(2, code, command + ": " + err);
      StringBuilder expected = new StringBuilder();
      for (String l : lines) {
        expected.append("testrig: ").append(rig).append(':').append(l).append('\n');
      }
      assertEquals(expected.toString(), err.toString(), command);
      assertEquals("", out.toString(), command);
      assertFalse(Files.exists(runDir), command + ": no run directory");
      assertFalse(Files.exists(artifacts), command + ": no artifacts");
    }
  }

  @Test
  void aValidRigIsOk() throws Exception {
    Path rig =
        rig(
            """
            stack:
              files: [compose.yml]
              profiles: [tests]
              services: {db: {probe: {http: "http://database:8080/health"}}}
            suites:
              - {name: e2e, service: tests}
            """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] args = {"validate", "-f", rig.toString()};
    assertEquals(0, Main.run(args, new PrintWriter(out), new PrintWriter(err)), err.toString());
    assertTrue(out.toString().contains(": ok ("), out.toString());
  }

  @Test
  void aComposeFileComposeRejects() throws Exception {
    Files.writeString(
        dir.resolve("bad.yml"), "services:\n  api: {image: x, depends_on: [ghost]}\n");
    Path rig = rig("stack:\n  files: [bad.yml]\n");
    assertRejected(
        rig,
        "2: stack.files: docker compose config rejects "
            + dir.resolve("bad.yml")
            + ": service \"api\" depends on undefined service \"ghost\": invalid compose"
            + " project");
  }

  @Test
  void aMissingComposeFileAndATemplateAsComposeFile() throws Exception {
    Path rig = rig("stack:\n  files:\n    - compose.yml\n    - nope.yml\n    - compose.yml.j2\n");
    assertRejected(
        rig,
        "4: stack.files[1]: " + dir.resolve("nope.yml") + ": no such file",
        "5: stack.files[2]: compose.yml.j2 is a template; compose files are used as they are and"
            + " reach rendered files through ${TESTRIG_RUN_DIR}");
  }

  /** Issue 9: a typo in a suite's service passed validate and failed after the stack was up. */
  @Test
  void aSuiteServiceThatIsNotInTheComposeFiles() throws Exception {
    Path rig = rig("stack: {files: [compose.yml]}\nsuites:\n  - {name: e2e, service: tset}\n");
    assertRejected(
        rig, "3: suites[0].service: no service 'tset' in the compose files (services: db, tests)");
  }

  @Test
  void anUnknownProfile() throws Exception {
    Path rig = rig("stack:\n  files: [compose.yml]\n  profiles: [tests, monitoring]\n");
    assertRejected(
        rig,
        "3: stack.profiles[1]: no service in the compose files has profile 'monitoring'"
            + " (profiles: tests)");
  }

  /** Issue 9: {@code env_files: ["${TESTRIG_RUN_DIR}/..."]} validated and failed at run time. */
  @Test
  void aMissingEnvFile() throws Exception {
    Path rig = rig("stack:\n  files: [compose.yml]\n  env_files: [\"${TESTRIG_RUN_DIR}/x.env\"]\n");
    assertRejected(
        rig,
        "3: stack.env_files[0]: "
            + dir.resolve("${TESTRIG_RUN_DIR}/x.env")
            + ": no such file (testrig does not expand variables in rig keys; compose's ${...}"
            + " works inside compose files only)");
  }

  /** Issue 9: {@code stack.profiles: ["{{ ... }}"]} validated and silently enabled nothing. */
  @Test
  void aJinjaExpressionInAKeyTestrigDoesNotRender() throws Exception {
    Path rig =
        rig(
            """
            values: {note: "{{ kept as data }}"}
            stack:
              files: [compose.yml]
              profiles: ["{{ features.tests }}"]
            suites:
              - {name: go, image: "x", command: [docker, inspect, -f, "{{.State}}"]}
            """);
    assertRejected(
        rig,
        "4: stack.profiles[0]: '{{' is not rendered here: testrig renders template files only,"
            + " and uses this key as written",
        "4: stack.profiles[0]: no service in the compose files has profile '{{ features.tests }}'"
            + " (profiles: tests)");
  }

  @Test
  void aMissingClasspathEntryOfAJvmSuite() throws Exception {
    Path console = Files.writeString(dir.resolve("console.jar"), "");
    Files.createDirectory(dir.resolve("classes"));
    Path rig =
        rig("suites:\n  - name: jvm\n    junit: {classpath: [classes, build/missing.jar]}\n");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                Validation.load(
                    rig, dir.resolve("run"), Map.of("TESTRIG_JUNIT_CONSOLE", console.toString())));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        List.of(
            rig
                + ":3: suites[0].junit.classpath[1]: "
                + dir.resolve("build/missing.jar")
                + " does not exist"),
        e.lines());
  }

  @Test
  void aMissingJunitConsoleLauncher() throws Exception {
    Files.createDirectory(dir.resolve("classes"));
    Path rig = rig("suites:\n  - name: jvm\n    junit: {classpath: [classes]}\n");
    Path console = dir.resolve("no/console.jar");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                Validation.load(
                    rig, dir.resolve("run"), Map.of("TESTRIG_JUNIT_CONSOLE", console.toString())));
    assertEquals(
        List.of(
            rig
                + ":3: suites[0].junit: the JUnit console launcher is not at "
                + console
                + " (set TESTRIG_JUNIT_CONSOLE)"),
        e.lines());
  }

  @Test
  void probesAndBuildsNamingUnknownServices() throws Exception {
    Path rig =
        rig(
            """
            stack:
              files: [compose.yml]
              build: [dbb]
              services:
                api: {probe: {tcp: 8080}}
                db: {probe: {http: "http://apii:8080/health"}}
            """);
    assertRejected(
        rig,
        "3: stack.build[0]: no service 'dbb' in the compose files (services: db, tests)",
        "5: stack.services.api: no service 'api' in the compose files (services: db, tests)",
        "6: stack.services.db.probe.http: host 'apii' is no service of the compose files"
            + " (services: db, tests)");
  }

  /** A path the model rules refuse is not looked up again (it would not resolve at all). */
  @Test
  void aPathWithANulCharacterIsOneProblemNotACrash() throws Exception {
    Path rig = rig("stack:\n  files: [compose.yml]\n  env_files: [\"a\\0b\"]\n");
    assertRejected(rig, "3: stack.env_files[0]: is not a valid path: Nul character not allowed");
  }

  /** Every problem at once, in file order: model rules, files and compose together. */
  @Test
  void severalProblemsAreAllReported() throws Exception {
    Path rig =
        rig(
            """
            certs:
              issue:
                db: {dns: ['no spaces'], usage: [server, email]}
            stack:
              files: [compose.yml]
              profiles: [monitoring]
            suites:
              - {name: e2e, service: tset}
              - {name: e2e, image: x, memory: 64m}
            """);
    assertRejected(
        rig,
        "3: certs.issue.db.usage[1]: must be server or client",
        "3: certs.issue.db.dns[0]: 'no spaces' is not a DNS name (letters, digits, - and _)",
        "6: stack.profiles[0]: no service in the compose files has profile 'monitoring'"
            + " (profiles: tests)",
        "8: suites[0].service: no service 'tset' in the compose files (services: db, tests)",
        "9: suites[1].name: 'e2e' is used twice");
  }
}

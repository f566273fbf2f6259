package io.testrig.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.backend.LabelFilter;
import io.testrig.core.Exec;
import io.testrig.engine.Engine;
import io.testrig.engine.KeepMarker;
import io.testrig.engine.Labels;
import io.testrig.rig.RigLoader;
import io.testrig.secrets.RunDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The developer's inner loop (issue 12) on examples/postgres-ssl, one stack for every assertion:
 * {@code up} with a time-to-live that {@code gc} respects (scoped, dry-run, expired), {@code info}
 * and {@code env}, the secrets only on request and never under CI, {@code exec} and {@code logs}
 * masking secrets, {@code reload} after a template change (SIGHUP received, file changed, same
 * container, same password), then {@code down}. Each command is the shaded jar in its own JVM, as
 * users run it, with stdin from /dev/null.
 */
class DevLoopIT {
  static final Path JAR = Path.of(System.getProperty("testrig.jar", "target/testrig.jar"));
  static Engine engine;
  @TempDir static Path work;

  @BeforeAll
  static void setUp() throws Exception {
    engine = Engine.connect(Duration.ofSeconds(30));
    Exec.Result b =
        new Exec().run(List.of("bash", "examples/build-images.sh"), Duration.ofMinutes(20));
    assertEquals(0, b.exitCode(), b.stdout() + b.stderr());
    copyTree(Path.of("examples/postgres-ssl"), work.resolve("examples/postgres-ssl"));
    copyTree(Path.of("examples/images"), work.resolve("examples/images"));
  }

  @AfterAll
  static void tearDown() {
    engine.close();
  }

  record Out(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static Out testrig(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".log");
    Path err = Files.createTempFile(work, "err", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.equals("CI") || k.startsWith("CI_"));
    pb.environment().remove("XDG_RUNTIME_DIR");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "testrig " + String.join(" ", args));
    return new Out(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** In this JVM (no JVM start): for commands that neither read stdin nor need another env. */
  static Out inProcess(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        io.testrig.cli.Main.run(
            args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    return new Out(code, out.toString(), err.toString());
  }

  @Test
  void upInfoEnvGcExecLogsReloadDown() throws Exception {
    Path rig = work.resolve("examples/postgres-ssl/testrig.yml");
    String f = rig.toString();
    // Its own JVM: once it exits, the stack's owner is gone and only the TTL keeps it.
    Out up = testrig(Map.of(), "up", "-f", f, "--ttl", "2h");
    assertEquals(0, up.code(), up.all());
    String[] lines = up.out().strip().split("\n");
    String project = lines[lines.length - 1].strip();
    try {
      Path runDir = RunDir.locate(new RigLoader().load(rig), null, null).path();
      Map<String, Object> secrets = secrets(runDir);
      String password = (String) secrets.get("password.db.app");
      assertTrue(up.out().contains(" (--ttl 2h); remove it with: testrig down -p "), up.out());
      assertTrue(up.out().contains("run dir:  " + runDir), up.out());
      assertTrue(
          up.out().contains("  postgres (running): inside the stack network postgres:5432"),
          up.out());
      assertTrue(up.out().contains("eval \"$(testrig env -f " + f + ")\""), up.out());
      ttlKeepsTheStackFromGc(project, runDir);
      infoAndEnv(f, project, runDir, password);
      execAndLogsMask(f, password);
      reloadSendsSighup(rig, project, runDir, password);
      testRerunsTheSuitesOnly(f, project);
    } finally {
      Out down = inProcess("down", "-f", f);
      assertEquals(0, down.code(), down.all());
    }
    assertEquals(
        List.of(),
        engine.backend().listContainers(LabelFilter.of(Labels.COMPOSE_PROJECT, project)),
        "down removed the stack");
  }

  /**
   * `test` twice against the running stack: the same report as `run` (the suite's testcases), but
   * no certs, templates, bring-up or teardown phase; the stack is still up afterwards.
   */
  private void testRerunsTheSuitesOnly(String f, String project) throws Exception {
    for (int i = 0; i < 2; i++) {
      Path report = work.resolve("test-" + i + "/junit.xml");
      Out t =
          inProcess(
              "test",
              "-f",
              f,
              "--suite",
              "postgres-ssl",
              "--report",
              report.toString(),
              "--artifacts",
              work.resolve("test-" + i).toString());
      assertEquals(0, t.code(), t.all());
      String xml = Files.readString(report);
      assertTrue(xml.contains("test_generated_app_password_from_config_json_works"), xml);
      assertTrue(xml.contains("name=\"suite postgres-ssl\""), xml);
      assertFalse(xml.contains("stack up") || xml.contains("certs and templates"), xml);
      assertFalse(xml.contains("name=\"teardown\""), xml);
      assertFalse(t.out().contains("Bringing the stack up"), t.out());
    }
    assertEquals(1, containers(project), "test leaves the stack up");
    Out unknown = inProcess("test", "-f", f, "--suite", "nope");
    assertEquals(2, unknown.code(), unknown.all());
    assertTrue(unknown.err().contains("--suite nope: no such suite"), unknown.err());
  }

  /**
   * A failed `run --keep=on-failure` (a deliberately failing test added to the copy) leaves its
   * stack and run directory: the console says how to inspect and remove it, the report's teardown
   * testcase says it was kept, `exec` and `logs` reach it, `gc` leaves it, `down` removes it.
   */
  @Test
  void failedRunKeptOnFailureForExecAndLogs() throws Exception {
    Path rig = work.resolve("examples/postgres-ssl/testrig.yml");
    String f = rig.toString();
    Path failing = rig.resolveSibling("tests/test_kept.py");
    Files.writeString(failing, "def test_fails_on_purpose():\n    assert 1 == 2\n");
    Path artifacts = work.resolve("kept");
    Out run;
    try {
      run =
          testrig(
              Map.of(),
              "run",
              "-f",
              f,
              "--only",
              "tlsv1_2-true",
              "--keep=on-failure",
              "--ttl",
              "1h",
              "--artifacts",
              artifacts.toString());
    } finally {
      Files.delete(failing);
    }
    assertEquals(1, run.code(), run.all());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "remove:  testrig down (-f \\S+ --run-dir (\\S+) -p (\\S+))")
            .matcher(run.out());
    assertTrue(m.find(), run.out());
    String project = m.group(3);
    Path runDir = Path.of(m.group(2));
    try {
      assertTrue(
          run.out().contains("kept stack " + project + " and run directory " + runDir), run.out());
      String xml = Files.readString(artifacts.resolve("junit.xml"));
      assertTrue(xml.contains("kept stack " + project), "the report says it was kept: " + xml);
      assertTrue(xml.contains("name=\"stack up: postgres"), xml);
      assertEquals(1, containers(project), "the stack is still up");
      assertTrue(Files.isRegularFile(runDir.resolve("config.json")), "and its secrets");
      Out gc = inProcess("gc", "--project", project);
      assertFalse(gc.out().contains("removed container"), gc.out());
      Out exec =
          testrig(
              Map.of(),
              "exec",
              "-f",
              f,
              "--run-dir",
              runDir.toString(),
              "-p",
              project,
              "postgres",
              "cat",
              "/etc/testrig/postgres/initdb.d/01-app.sql");
      assertEquals(0, exec.code(), exec.all());
      assertTrue(exec.out().contains("[MASKED password.db.app]"), exec.out());
      Out logs = inProcess("logs", "--file", f, "--run-dir", runDir.toString(), "-p", project);
      assertEquals(0, logs.code(), logs.all());
      assertTrue(logs.out().contains("database system is ready"), logs.out());
    } finally {
      Out down = inProcess("down", "-f", f, "--run-dir", runDir.toString(), "-p", project);
      assertEquals(0, down.code(), down.all());
    }
    assertEquals(0, containers(project), "down removed it");
    assertFalse(Files.exists(runDir), "and wiped its run directory");
  }

  /** The `up` JVM is gone, so without the TTL gc would remove the stack at once. */
  private void ttlKeepsTheStackFromGc(String project, Path runDir) throws Exception {
    Out gc = inProcess("gc");
    assertEquals(0, gc.code(), gc.all());
    assertFalse(gc.out().contains(project), gc.out());
    assertEquals(1, containers(project), "gc left the stack alone: " + gc.out());
    assertTrue(Files.isDirectory(runDir), "and its run directory");
    // Expired (the marker rewritten as `up --ttl` would have written it two hours ago):
    KeepMarker m = KeepMarker.read(runDir, project).orElseThrow();
    KeepMarker.write(runDir, new KeepMarker(project, Instant.now().minusSeconds(1), m.rig()));
    Out other = inProcess("gc", "--project", "testrig-not-this-one", "--dry-run");
    assertFalse(other.out().contains(project), "scoped to another project: " + other.out());
    Out dry = inProcess("gc", "--project", project, "--dry-run");
    assertEquals(0, dry.code(), dry.all());
    assertTrue(dry.out().contains("would remove container " + project + "-postgres-1"), dry.out());
    assertTrue(dry.out().contains("would wipe run directory " + runDir), dry.out());
    assertEquals(1, containers(project), "a dry run removes nothing");
    assertTrue(Files.isDirectory(runDir), "a dry run wipes nothing");
    KeepMarker.write(runDir, m);
  }

  private void infoAndEnv(String f, String project, Path runDir, String password) throws Exception {
    Out info = inProcess("info", "-f", f);
    assertEquals(0, info.code(), info.all());
    assertTrue(info.out().startsWith("project:  " + project + "\n"), info.out());
    assertTrue(info.out().contains("testrig secrets show -f " + f + " --reveal PATH"), info.out());
    Out env = inProcess("env", "-f", f);
    assertEquals(0, env.code(), env.all());
    assertTrue(env.out().contains("export TESTRIG_PROJECT=" + project + "\n"), env.out());
    assertTrue(env.out().contains("export TESTRIG_RUN_DIR=" + runDir + "\n"), env.out());
    assertFalse(env.out().contains("TESTRIG_SECRET_"), env.out());
    Out ci = testrig(Map.of("CI", "true"), "env", "-f", f, "--secrets");
    assertEquals(2, ci.code(), ci.all());
    assertTrue(ci.err().contains("refusing to print secrets because CI is set"), ci.err());
    assertFalse(ci.all().contains(password));
    // A process without CI (the test itself may run in CI, where revealing is refused); the
    // messages never carry the secret, so a failure prints nothing to mask.
    Out reveal = testrig(Map.of(), "secrets", "show", "-f", f, "--reveal", "password.db.app");
    assertEquals(0, reveal.code(), reveal.err());
    assertTrue(reveal.out().equals(password + "\n"), "--reveal prints exactly the password");
    // eval "$(testrig env)" in a shell: the variables arrive as printed.
    Exec.Result sh =
        new Exec()
            .workDir(work)
            .run(
                List.of(
                    "bash",
                    "-c",
                    "eval \"$(env -u CI java -jar "
                        + JAR.toAbsolutePath()
                        + " env -f "
                        + f
                        + " --secrets)\" && printf '%s|%s' \"$TESTRIG_PROJECT\""
                        + " \"$TESTRIG_SECRET_PASSWORD_DB_APP\""),
                Duration.ofMinutes(1));
    assertTrue(
        sh.stdout().equals(project + "|" + password),
        "eval exported the project and the password; stderr: " + sh.stderr());
  }

  private void execAndLogsMask(String f, String password) throws Exception {
    // Its own JVM: exec hands its stdin (here /dev/null) to the command.
    Out exec =
        testrig(
            Map.of(),
            "exec",
            "-f",
            f,
            "postgres",
            "sh",
            "-c",
            "cat /etc/testrig/postgres/initdb.d/01-app.sql; exit 3");
    assertEquals(3, exec.code(), "the command's exit code: " + exec.all());
    assertTrue(exec.out().contains("PASSWORD '[MASKED password.db.app]'"), exec.out());
    assertFalse(exec.all().contains(password), "exec masks secrets");
    // With a terminal on stdin (script(1) gives it a pty) exec is interactive: the command runs
    // on a TTY in the container, and its output is still masked as it streams.
    Exec.Result tty =
        new Exec()
            .workDir(work)
            .run(
                List.of(
                    "script",
                    "-qec",
                    Path.of(System.getProperty("java.home"), "bin", "java")
                        + " -jar "
                        + JAR.toAbsolutePath()
                        + " exec -f "
                        + f
                        + " postgres sh -c 'tty; cat /etc/testrig/postgres/initdb.d/01-app.sql'",
                    "/dev/null"),
                Duration.ofMinutes(2));
    assertTrue(tty.stdout().contains("/dev/pts/"), "a TTY in the container: " + tty.stdout());
    assertTrue(tty.stdout().contains("[MASKED password.db.app]"), tty.stdout());
    assertFalse(tty.stdout().contains(password), "masked on a TTY too");
    Out logs = inProcess("logs", "--file", f, "postgres");
    assertEquals(0, logs.code(), logs.all());
    assertTrue(logs.out().contains("database system is ready to accept connections"), logs.out());
  }

  private void reloadSendsSighup(Path rig, String project, Path runDir, String password)
      throws Exception {
    String id = containerId(project);
    Path template = rig.resolveSibling("templates/postgres/postgresql.conf.j2");
    Files.writeString(template, Files.readString(template) + "\n# changed by DevLoopIT\n");
    Out reload = inProcess("reload", "-f", rig.toString());
    assertEquals(0, reload.code(), reload.all());
    assertTrue(reload.out().contains("changed postgres/postgresql.conf\n"), reload.out());
    assertTrue(reload.out().contains("postgres: sent SIGHUP"), reload.out());
    assertFalse(
        reload.out().contains("changed postgres/pg_hba.conf"), "unchanged: " + reload.out());
    assertTrue(
        Files.readString(runDir.resolve("postgres/postgresql.conf"))
            .contains("# changed by DevLoopIT"));
    assertEquals(id, containerId(project), "signalled, not recreated");
    assertTrue(password.equals(secrets(runDir).get("password.db.app")), "reload kept the password");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String log = "";
    while (System.nanoTime() < deadline && !log.contains("received SIGHUP")) {
      log = inProcess("logs", "--file", rig.toString(), "postgres").out();
    }
    assertTrue(log.contains("received SIGHUP, reloading configuration files"), log);
    Out again = inProcess("reload", "-f", rig.toString());
    assertTrue(again.out().contains("no rendered file changed"), again.all());
  }

  private static int containers(String project) {
    return engine.backend().listContainers(LabelFilter.of(Labels.COMPOSE_PROJECT, project)).size();
  }

  private static String containerId(String project) {
    return engine
        .backend()
        .listContainers(LabelFilter.of(Labels.COMPOSE_PROJECT, project))
        .get(0)
        .id();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> secrets(Path runDir) throws IOException {
    Map<String, Object> tree =
        new ObjectMapper().readValue(Files.readString(runDir.resolve("config.json")), Map.class);
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", tree, flat);
    return flat;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> m, Map<String, Object> out) {
    m.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> sub) {
            flatten(prefix + k + ".", (Map<String, Object>) sub, out);
          } else {
            out.put(prefix + k, v);
          }
        });
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}

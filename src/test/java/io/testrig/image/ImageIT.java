package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import io.testrig.core.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder image, built from the Dockerfile on the local debian:trixie-slim and started the ways
 * users start it: as a GitLab job (`sh` + script on stdin), with the host's socket bound in, under
 * a given DOCKER_HOST, unprivileged, and as Docker-in-Docker with the capability set that works on
 * this machine (DEVELOPERS.md). The tag is reused, so a rebuild only redoes the layers whose input
 * changed (jar, scripts).
 */
class ImageIT {
  static final String IMAGE = ImageSupport.IMAGE;
  static final String PREFIX = "testrig-image-it-" + ProcessHandle.current().pid() + "-";
  static final List<String> started = new CopyOnWriteArrayList<>();
  static final Exec EXEC = ImageSupport.EXEC;

  @BeforeAll
  static void buildImage() {
    ImageSupport.buildImage();
  }

  @AfterAll
  static void removeContainers() {
    for (String name : started) {
      EXEC.run(List.of("docker", "rm", "-f", "-v", name), Duration.ofMinutes(1));
    }
  }

  /** `docker run --rm --name <unique> [args] IMAGE [command]`. */
  static Exec.Result run(List<String> dockerArgs, List<String> command, String stdin) {
    String name = PREFIX + started.size();
    started.add(name);
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--name", name));
    if (stdin != null) {
      cmd.add("-i");
    }
    cmd.addAll(dockerArgs);
    cmd.add(IMAGE);
    cmd.addAll(command);
    return EXEC.run(
        cmd, Duration.ofMinutes(5), stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
  }

  static Exec.Result noEngine(String script) {
    return run(List.of("-e", "TESTRIG_DOCKERD=never"), List.of("bash", "-c", script), null);
  }

  @Test
  void holdsTheToolchainAsRoot() {
    Exec.Result r =
        noEngine(
            "set -e; id -u; command -v docker dockerd containerd runc tini git bash java testrig;"
                + " docker --version; docker compose version; java -version 2>&1 | head -1;"
                + " testrig --version; git --version; tini --version;"
                + " java -jar \"$TESTRIG_JUNIT_CONSOLE\" --version 2>&1 | head -3;"
                + " test \"$JUNIT_CONSOLE_JAR\" = \"$TESTRIG_JUNIT_CONSOLE\"; echo "
                + "\"entry=$(readlink -f /proc/1/exe)\"");
    String out = r.stdout();
    assertEquals(0, r.exitCode(), out + r.stderr());
    // root: dockerd needs it, as in docker:dind; the job shell runs as root on GitLab too.
    assertTrue(out.startsWith("0\n"), out);
    for (String bin :
        List.of("/docker", "/dockerd", "/containerd", "/runc", "/tini", "/git", "/bash")) {
      assertTrue(out.contains(bin + "\n"), bin + " missing: " + out);
    }
    assertTrue(out.contains("/usr/local/bin/testrig\n"), out);
    assertTrue(out.contains("Docker version 26."), out);
    assertTrue(out.contains("Docker Compose version 2."), out);
    assertTrue(out.contains("openjdk version \"21."), out);
    assertTrue(out.contains("testrig "), out);
    assertTrue(out.contains("6.1.3"), "junit-platform-console-standalone 6.1.3: " + out);
    assertTrue(out.contains("entry=/usr/bin/tini"), "tini is PID 1: " + out);
  }

  @Test
  void interactiveBashCompletesTestrig() {
    // bash -i without a terminal warns about job control on stderr; the answer is on stdout.
    Exec.Result r = noEngine("bash -ic 'complete -p testrig' 2>/dev/null");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("-F _complete_testrig"), r.stdout());
  }

  @Test
  void carriesOciLabelsAndAStorageVolume() {
    String labels =
        EXEC.check(
            List.of(
                "docker",
                "image",
                "inspect",
                "--format",
                "{{json .Config.Labels}} {{json .Config.Volumes}}",
                IMAGE),
            Duration.ofMinutes(1),
            ExitCode.ENGINE_UNAVAILABLE);
    assertTrue(labels.contains("\"org.opencontainers.image.version\":\"it\""), labels);
    assertTrue(labels.contains("\"org.opencontainers.image.revision\":\"it-revision\""), labels);
    assertTrue(labels.contains("\"org.opencontainers.image.source\":\"https://"), labels);
    assertTrue(labels.contains("\"/var/lib/docker\":{}"), labels);
  }

  @Test
  void testrigStartsFromTheAppCdsArchive() {
    // -Xshare:on makes the JVM fail instead of silently starting without the archive; the class
    // load log shows testrig's own classes come from it (the start-time claim is in bench/).
    Exec.Result r =
        run(
            List.of(
                "-e",
                "TESTRIG_DOCKERD=never",
                "-e",
                "TESTRIG_JAVA_OPTS=-Xshare:on -Xlog:class+load=info"),
            List.of("testrig", "--version"),
            null);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(
        r.stdout().contains("io.testrig.cli.Main source: shared objects file"),
        ImageSupport.tail(r.stdout()));
    assertTrue(r.stdout().contains("picocli.CommandLine source: shared objects file"));
    // None from the jar: the image's static dump keeps picocli's callbacks' interfaces (Main).
    assertEquals(
        List.of(),
        r.stdout()
            .lines()
            .filter(l -> l.contains("] picocli.") && !l.contains(" source: shared objects file"))
            .toList());
  }

  @Test
  void entrypointRunsTestrigOrTheGivenCommand() {
    Exec.Result version = run(List.of("-e", "TESTRIG_DOCKERD=never"), List.of("--version"), null);
    assertEquals(0, version.exitCode(), version.stderr());
    assertTrue(version.stdout().startsWith("testrig "), version.stdout());
    // `docker run IMAGE ci ...` is testrig's, like run or gc (the entrypoint knows the command).
    Exec.Result ci =
        run(List.of("-e", "TESTRIG_DOCKERD=never"), List.of("ci", "pipeline", "--help"), null);
    assertEquals(0, ci.exitCode(), ci.stderr());
    assertTrue(ci.stdout().startsWith("Usage: testrig ci pipeline"), ci.stdout());
    // `sh -c` with arguments and an exit code, as `docker run IMAGE sh -c ...` passes them.
    Exec.Result sh =
        run(
            List.of("-e", "TESTRIG_DOCKERD=never"),
            List.of("sh", "-c", "echo \"$0|$1\"; exit 7", "a", "b c"),
            null);
    assertEquals(7, sh.exitCode(), sh.stderr());
    assertEquals("a|b c\n", sh.stdout());
  }

  @Test
  void asAGitLabJobWithTheHostSocketItStartsNoDaemon() {
    // GitLab's docker executor runs its shell-detection command and feeds the job script on stdin.
    String detect =
        "if [ -x /usr/local/bin/bash ]; then exec /usr/local/bin/bash;"
            + " elif [ -x /usr/bin/bash ]; then exec /usr/bin/bash; else exec sh; fi";
    String job =
        "set -e\n"
            + "if pgrep -x dockerd >/dev/null; then echo dockerd-running; else echo no-dockerd; fi\n"
            + "docker version --format 'server={{.Server.Version}}'\n"
            + "testrig --version\n";
    Exec.Result r =
        run(
            List.of("-v", "/var/run/docker.sock:/var/run/docker.sock"),
            List.of("sh", "-c", detect),
            job);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    String host =
        EXEC.check(
                List.of("docker", "version", "--format", "{{.Server.Version}}"),
                Duration.ofMinutes(1),
                ExitCode.ENGINE_UNAVAILABLE)
            .strip();
    assertTrue(r.stdout().contains("no-dockerd\n"), r.stdout());
    assertTrue(r.stdout().contains("server=" + host + "\n"), r.stdout());
    assertTrue(r.stdout().contains("testrig "), r.stdout());
    assertFalse(r.stderr().contains("starting dockerd"), r.stderr());
    // No run directory shared with the host: compose's bind mounts would resolve to nothing.
    assertTrue(r.stderr().contains("socket is bound in"), r.stderr());
    assertTrue(r.stderr().contains("XDG_RUNTIME_DIR"), r.stderr());
  }

  @Test
  void withAGivenDockerHostItStartsNoDaemonAndUsesDindServiceCerts(@TempDir Path certs)
      throws IOException {
    Files.createDirectories(certs.resolve("client"));
    Files.writeString(certs.resolve("client/ca.pem"), "not checked by the entrypoint\n");
    Exec.Result r =
        run(
            List.of(
                "-e",
                "DOCKER_HOST=tcp://docker:2376",
                "-e",
                "DOCKER_TLS_CERTDIR=/certs",
                "-v",
                certs + ":/certs:ro"),
            List.of(
                "bash",
                "-c",
                "if pgrep -x dockerd >/dev/null; then echo dockerd-running; else echo no-dockerd;"
                    + " fi; echo \"tls=$DOCKER_TLS_VERIFY path=$DOCKER_CERT_PATH\""),
            null);
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("no-dockerd\ntls=1 path=/certs/client\n", r.stdout());
  }

  @Test
  void withoutPrivilegesItExplainsPrivilegedTrue() {
    Exec.Result r = run(List.of(), List.of("true"), null);
    assertEquals(ExitCode.ENGINE_UNAVAILABLE.code(), r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("dockerd could not start"), r.stderr());
    assertTrue(r.stderr().contains("privileged = true"), r.stderr());
  }

  @Test
  void asDockerInDockerItStartsDockerdThatRunsAComposeStackAndServesTls() {
    List<String> args = new ArrayList<>(ImageSupport.dindArgs());
    args.addAll(List.of("-e", "DOCKER_TLS_CERTDIR=/certs"));
    // No registry: the inner stack's image is a minimal rootfs (dash + libc) taken from the
    // builder image itself.
    String script =
        String.join(
            "\n",
            "set -euo pipefail",
            "docker info --format 'driver={{.Driver}}'",
            "docker compose version",
            "DOCKER_HOST=tcp://127.0.0.1:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=/certs/client \\",
            "  docker version --format 'tls-server={{.Server.Version}}'",
            "tar -C / -chf - usr/bin/dash usr/lib/x86_64-linux-gnu/libc.so.6"
                + " lib64/ld-linux-x86-64.so.2 | docker import -c 'CMD [\"/usr/bin/dash\"]' -"
                + " inner:1 >/dev/null",
            "mkdir -p /tmp/stack && cd /tmp/stack",
            "printf 'services:\\n  hello:\\n    image: inner:1\\n    command: [\"/usr/bin/dash\","
                + " \"-c\", \"echo inner-compose-ok\"]\\n' >compose.yml",
            "docker compose -p dind up --abort-on-container-exit --exit-code-from hello 2>&1",
            "docker compose -p dind down");
    Exec.Result r = run(args, List.of("bash", "-c", script), null);
    String all = r.stdout() + r.stderr();
    assertEquals(0, r.exitCode(), all);
    assertTrue(r.stderr().contains("starting dockerd"), all);
    assertTrue(r.stdout().contains("driver=overlay2"), all);
    assertTrue(r.stdout().contains("Docker Compose version 2."), all);
    assertTrue(r.stdout().contains("tls-server=26."), all);
    assertTrue(r.stdout().contains("inner-compose-ok"), all);
  }
}

package io.testrig.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the image ITs share: the builder image, built once per test JVM from the Dockerfile on the
 * local debian:trixie-slim (a rebuild reuses every cached layer whose input did not change), the
 * example images, and the Docker-in-Docker flags that work on this machine (DEVELOPERS.md).
 */
final class ImageSupport {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final String IMAGE = "testrig-image-it:latest";
  static final Exec EXEC = new Exec().workDir(ROOT);

  /** The images examples/postgres-ssl's stack and suite use (examples/build-images.sh). */
  static final List<String> POSTGRES_SSL_IMAGES =
      List.of("testrig-example/postgres:17", "testrig-example/python:trixie");

  /**
   * Every capability but CAP_SYS_RESOURCE, which this machine cannot grant (so no --privileged).
   */
  static final List<String> DIND_CAPS =
      List.of(
          "CHOWN",
          "DAC_OVERRIDE",
          "DAC_READ_SEARCH",
          "FOWNER",
          "FSETID",
          "KILL",
          "SETGID",
          "SETUID",
          "SETPCAP",
          "LINUX_IMMUTABLE",
          "NET_BIND_SERVICE",
          "NET_BROADCAST",
          "NET_ADMIN",
          "NET_RAW",
          "IPC_LOCK",
          "IPC_OWNER",
          "SYS_MODULE",
          "SYS_RAWIO",
          "SYS_CHROOT",
          "SYS_PTRACE",
          "SYS_PACCT",
          "SYS_ADMIN",
          "SYS_BOOT",
          "SYS_NICE",
          "SYS_TIME",
          "SYS_TTY_CONFIG",
          "MKNOD",
          "LEASE",
          "AUDIT_WRITE",
          "AUDIT_CONTROL",
          "SETFCAP",
          "MAC_OVERRIDE",
          "MAC_ADMIN",
          "SYSLOG",
          "WAKE_ALARM",
          "BLOCK_SUSPEND",
          "AUDIT_READ");

  private static boolean imageBuilt;
  private static boolean examplesBuilt;

  private ImageSupport() {}

  /** `docker build` of the builder image, once per JVM (failsafe runs all ITs in one JVM). */
  static synchronized void buildImage() {
    if (imageBuilt) {
      return;
    }
    assertTrue(Files.isRegularFile(ROOT.resolve("target/testrig.jar")), "run mvn package first");
    Exec.Result r =
        EXEC.run(
            List.of(
                "docker",
                "build",
                "-t",
                IMAGE,
                "--build-arg",
                "TESTRIG_VERSION=it",
                "--build-arg",
                "VCS_REF=it-revision",
                "."),
            Duration.ofMinutes(30));
    assertEquals(0, r.exitCode(), () -> "docker build failed:\n" + tail(r.stdout() + r.stderr()));
    imageBuilt = true;
  }

  /** examples/build-images.sh: a cache check of seconds when the images exist. */
  static synchronized void buildExampleImages() {
    if (examplesBuilt) {
      return;
    }
    // Only the images these ITs use (the version-matrix and JVM examples' are built by theirs).
    Exec.Result r =
        EXEC.run(
            List.of("bash", "examples/build-images.sh", "postgres", "python", "nginx"),
            Duration.ofMinutes(30));
    assertEquals(0, r.exitCode(), () -> "build-images failed:\n" + tail(r.stdout() + r.stderr()));
    examplesBuilt = true;
  }

  /** The `docker run` flags that make the image's own dockerd work here (DEVELOPERS.md). */
  static List<String> dindArgs() {
    List<String> args = new ArrayList<>();
    DIND_CAPS.forEach(c -> args.addAll(List.of("--cap-add", c)));
    args.addAll(
        List.of(
            "--security-opt",
            "seccomp=unconfined",
            "--security-opt",
            "apparmor=unconfined",
            "--security-opt",
            "systempaths=unconfined",
            "-v",
            "/sys/fs/cgroup:/sys/fs/cgroup",
            "--cgroupns=host"));
    return args;
  }

  /** The value of {@code name="..."} on the report's root element, e.g. tests or failures. */
  static int rootCount(String xml, String attribute) {
    Matcher m = Pattern.compile("<testsuites\\b[^>]*\\s" + attribute + "=\"(\\d+)\"").matcher(xml);
    assertTrue(m.find(), "no " + attribute + " on <testsuites>: " + tail(xml));
    return Integer.parseInt(m.group(1));
  }

  static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}

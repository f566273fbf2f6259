package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/testrig linked onto PATH (README.md, "Install") still finds the checkout's jar. An IT because
 * it needs the packaged target/testrig.jar.
 */
class LauncherIT {
  @TempDir Path dir;

  @Test
  void aSymlinkedLauncherRunsTheCheckoutsJar() throws Exception {
    Path link =
        Files.createSymbolicLink(dir.resolve("testrig"), Path.of("bin/testrig").toAbsolutePath());
    ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").directory(dir.toFile());
    pb.environment().remove("TESTRIG_JAR");
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out + err);
    assertTrue(out.startsWith("testrig "), out);
  }

  /**
   * Runs bin/testrig with extra environment; stdout + "\n--stderr--\n" + stderr, exit 0 asserted.
   */
  private String launch(java.util.Map<String, String> env, String... args) throws Exception {
    return launch(0, env, args);
  }

  /** As {@link #launch(java.util.Map, String...)}, with the exit code {@code exit} asserted. */
  private String launch(int exit, java.util.Map<String, String> env, String... args)
      throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of("bin/testrig").toAbsolutePath().toString());
    cmd.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("TESTRIG_JAR");
    pb.environment().remove("TESTRIG_CDS");
    pb.environment().remove("TESTRIG_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(exit, p.exitValue(), out + err);
    return out + "\n--stderr--\n" + err;
  }

  private static long archives(Path cache, String suffix) throws Exception {
    if (!Files.isDirectory(cache)) {
      return 0;
    }
    try (var s = Files.list(cache)) {
      return s.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
    }
  }

  @Test
  void theFirstRunOfACommandMakesItsClassDataArchiveAndLaterRunsMapIt() throws Exception {
    Path home = Files.createDirectories(dir.resolve("xdg"));
    java.util.Map<String, String> env = java.util.Map.of("XDG_CACHE_HOME", home.toString());
    Path cache = home.resolve("testrig");
    String first = launch(env, "--version");
    // Quiet: no CDS warnings (picocli's Java 5 classes are skipped by a dynamic dump).
    assertEquals("testrig", first.substring(0, 7));
    assertTrue(first.endsWith("\n--stderr--\n"), first);
    assertTrue(first.lines().count() <= 3, first);
    assertEquals(1, archives(cache, ".tmp"), "the dump of the first run");
    launch(env, "--version");
    assertEquals(0, archives(cache, ".tmp"), "adopted by the next run");
    assertEquals(1, archives(cache, "-other.jsa"));
    // The dump of a concurrent first run whose writer is gone, when the archive exists: removed.
    Process gone = new ProcessBuilder("true").start();
    assertEquals(0, gone.waitFor());
    String arch = names(cache, "-other.jsa").get(0);
    Files.writeString(cache.resolve(arch + "." + gone.pid() + ".tmp"), "x");
    launch(env, "--version");
    assertEquals(0, archives(cache, ".tmp"), "a second dump of the same archive");
    assertEquals(1, archives(cache, "-other.jsa"));
    java.util.Map<String, String> strict = new java.util.HashMap<>(env);
    strict.put("TESTRIG_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info");
    String mapped = launch(strict, "--version");
    // picocli's Java 5 classes, which a dynamic dump skips, come from the static base under it.
    assertTrue(
        mapped.contains("picocli.CommandLine source: shared objects file\n"),
        "picocli comes from the base archive");
    // All of it: a lambda implementing a picocli interface made the static dump skip that
    // interface and its implementations (Main's callbacks are named classes for this).
    assertEquals(
        List.of(),
        mapped
            .lines()
            .filter(l -> l.contains("] picocli.") && !l.contains(" source: shared objects file"))
            .toList(),
        "picocli classes read from the jar");
    assertEquals(1, archives(cache, "-base.jsa"));
    // Another command gets its own archive, with the classes the base lacks.
    launch(env, "validate", "--help");
    assertEquals(1, archives(cache, ".tmp"));
    launch(env, "validate", "--help");
    mapped = launch(strict, "validate", "--help");
    assertTrue(
        mapped.contains("source: shared objects file (top)"),
        "the command's archive maps the classes the base lacks");
  }

  /**
   * A run that failed early loaded its error path only: its dump is a partial archive, which later
   * runs map until one goes the whole way and removes it; the run after that dumps the archive.
   */
  @Test
  void aFailedRunsDumpIsAPartialArchiveUntilARunGoesTheWholeWay() throws Exception {
    Path home = Files.createDirectories(dir.resolve("xdg"));
    java.util.Map<String, String> env = java.util.Map.of("XDG_CACHE_HOME", home.toString());
    Path cache = home.resolve("testrig");
    Files.writeString(dir.resolve("testrig.yml"), "name: x\n");
    launch(2, env, "validate", "-f", "missing.yml");
    assertEquals(1, archives(cache, ".tmp"), "the failed run's dump");
    launch(2, env, "validate", "-f", "missing.yml");
    assertEquals(0, archives(cache, ".tmp"));
    assertEquals(1, archives(cache, "-validate.partial.jsa"), "adopted as partial");
    assertEquals(0, archives(cache, "-validate.jsa"));
    launch(2, env, "validate", "-f", "missing.yml");
    assertEquals(0, archives(cache, ".tmp"), "a partial archive is mapped, not dumped again");
    assertEquals(1, archives(cache, "-validate.partial.jsa"));
    launch(env, "validate");
    assertEquals(0, archives(cache, "-validate.partial.jsa"), "removed by the good run");
    launch(env, "validate");
    assertEquals(1, archives(cache, ".tmp.ok"), "the good run's dump is marked");
    launch(env, "validate");
    assertEquals(1, archives(cache, "-validate.jsa"), "and becomes the archive");
    assertEquals(0, archives(cache, ".tmp") + archives(cache, ".ok"));
  }

  /** "size.mtime.inode" of a file, as the launcher keys its archives (stat -L -c %s.%Y.%i). */
  private static String id(Path file) throws Exception {
    java.util.Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ino");
    return a.get("size")
        + "."
        + ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS)
        + "."
        + a.get("ino");
  }

  private static List<String> names(Path cache, String suffix) throws Exception {
    try (var s = Files.list(cache)) {
      return s.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .sorted()
          .toList();
    }
  }

  /**
   * The archives are named by the jar and by the libjvm behind java, found through a symbolic link
   * to it; a changed jar (here its mtime, as a rebuild changes it) gets new archives, which the JVM
   * maps (-Xshare:on fails on an archive of another jar).
   */
  @Test
  void theArchivesAreKeyedByTheJarAndTheLibjvmBehindALinkedJava() throws Exception {
    Path jar = Files.copy(Path.of("target/testrig.jar"), dir.resolve("testrig.jar"));
    Path realJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    Path libjvm = realJava.getParent().resolveSibling("lib/server/libjvm.so");
    Path linked = Files.createSymbolicLink(dir.resolve("java"), realJava);
    Path home = Files.createDirectories(dir.resolve("xdg"));
    Path cache = home.resolve("testrig");
    java.util.Map<String, String> env =
        java.util.Map.of(
            "XDG_CACHE_HOME", home.toString(),
            "TESTRIG_JAR", jar.toString(),
            "TESTRIG_JAVA", linked.toString());
    launch(env, "--version");
    launch(env, "--version");
    String jarkey = id(jar) + "_" + id(libjvm);
    assertEquals(List.of(jarkey + "-base.jsa"), names(cache, "-base.jsa"));
    String base = id(cache.resolve(jarkey + "-base.jsa"));
    assertEquals(List.of(jarkey + "_" + base + "-other.jsa"), names(cache, "-other.jsa"));

    Files.setLastModifiedTime(
        jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
    launch(env, "--version");
    launch(env, "--version");
    assertEquals(2, archives(cache, "-base.jsa"), "a base for the changed jar");
    assertEquals(2, archives(cache, "-other.jsa"), "an archive for the changed jar");
    String changed = id(jar) + "_";
    assertTrue(names(cache, "-other.jsa").stream().anyMatch(n -> n.startsWith(changed)));
    java.util.Map<String, String> strict = new java.util.HashMap<>(env);
    strict.put("TESTRIG_JAVA_OPTS", "-Xshare:on");
    assertTrue(launch(strict, "--version").startsWith("testrig "));
  }

  /** TESTRIG_CDS_BASE: the command's archive is layered on that base and named by it too. */
  @Test
  void aGivenBaseArchiveIsUsedAndKeysTheCommandsArchive() throws Exception {
    Path home = Files.createDirectories(dir.resolve("xdg"));
    Path cache = home.resolve("testrig");
    launch(java.util.Map.of("XDG_CACHE_HOME", home.toString()), "--version");
    Path base = Files.copy(cache.resolve(names(cache, "-base.jsa").get(0)), dir.resolve("b.jsa"));
    Path home2 = Files.createDirectories(dir.resolve("xdg2"));
    java.util.Map<String, String> env =
        java.util.Map.of("XDG_CACHE_HOME", home2.toString(), "TESTRIG_CDS_BASE", base.toString());
    launch(env, "validate", "--help");
    launch(env, "validate", "--help");
    Path cache2 = home2.resolve("testrig");
    assertEquals(0, archives(cache2, "-base.jsa"), "no base of its own");
    List<String> made = names(cache2, "-validate.jsa");
    assertEquals(1, made.size(), made.toString());
    assertTrue(made.get(0).endsWith("_" + id(base) + "-validate.jsa"), made.toString());
    java.util.Map<String, String> strict = new java.util.HashMap<>(env);
    strict.put("TESTRIG_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info");
    String mapped = launch(strict, "validate", "--help");
    assertTrue(
        mapped.contains("picocli.CommandLine source: shared objects file\n"), "from the base");
    assertTrue(mapped.contains("source: shared objects file (top)"), "from the command's archive");
  }

  /** A linked bin directory: bin/.. is the checkout, as the kernel resolves it. */
  @Test
  void aLauncherInALinkedDirectoryRunsTheCheckoutsJar() throws Exception {
    Path bin = Files.createSymbolicLink(dir.resolve("tbin"), Path.of("bin").toAbsolutePath());
    ProcessBuilder pb =
        new ProcessBuilder(bin.resolve("testrig").toString(), "--version").directory(dir.toFile());
    pb.environment().remove("TESTRIG_JAR");
    pb.environment().put("TESTRIG_CDS", "0");
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("testrig "), out);
  }

  /** The JVM's CompileThresholdScaling that bin/testrig gives a command (-XX:+PrintFlagsFinal). */
  private double scaling(String... args) throws Exception {
    String out =
        launch(
            java.util.Map.of("TESTRIG_CDS", "0", "TESTRIG_JAVA_OPTS", "-XX:+PrintFlagsFinal"),
            args);
    var m =
        java.util.regex.Pattern.compile("CompileThresholdScaling\\s+=\\s+([0-9.]+)").matcher(out);
    assertTrue(m.find(), out);
    return Double.parseDouble(m.group(1));
  }

  /**
   * Commands that mostly wait on the engine compile their methods later (C1 thresholds x10); those
   * that compute for longer (render, certs, run) keep the JVM's thresholds. The figures are in
   * bin/testrig's comment.
   */
  @Test
  void theCompileThresholdsFollowTheCommand() throws Exception {
    assertEquals(10.0, scaling("--version"));
    assertEquals(10.0, scaling("validate", "--help"));
    assertEquals(10.0, scaling("--stacktrace", "down", "--help"));
    assertEquals(1.0, scaling("render", "--help"));
    assertEquals(1.0, scaling("certs", "--help"));
    assertEquals(1.0, scaling("--stacktrace", "run", "--help"));
  }

  /** docker/testrig picks the same thresholds: its java here is a script printing its arguments. */
  @Test
  void theImageLauncherPicksTheSameCompileThresholds() throws Exception {
    Path javaHome = Files.createDirectories(dir.resolve("jdk/bin")).getParent();
    Path echo = javaHome.resolve("bin/java");
    Files.writeString(echo, "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(
        echo, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    java.util.function.Function<List<String>, String> args =
        a -> {
          try {
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(Path.of("docker/testrig").toAbsolutePath().toString());
            cmd.addAll(a);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().put("JAVA_HOME", javaHome.toString());
            pb.environment().remove("TESTRIG_JAVA_OPTS");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            return out;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    String flag = "-XX:CompileThresholdScaling=10 ";
    assertTrue(args.apply(List.of("up", "-f", "x.yml")).contains(flag));
    assertTrue(args.apply(List.of("--stacktrace", "down")).contains(flag));
    assertTrue(args.apply(List.of("--version")).contains(flag));
    String render = args.apply(List.of("render", "-f", "x.yml"));
    assertTrue(!render.contains("CompileThresholdScaling"), render);
    assertTrue(render.endsWith("-jar /opt/testrig/testrig.jar render -f x.yml\n"), render);
    assertTrue(!args.apply(List.of("--stacktrace", "run")).contains("CompileThresholdScaling"));
    assertTrue(!args.apply(List.of("certs")).contains("CompileThresholdScaling"));
  }

  /**
   * A JVM that cannot make the static base still gets a dynamic archive (on the JDK's default
   * base), and the launcher does not try the base again on every run: each try costs seconds.
   */
  @Test
  void aFailedBaseDumpIsTriedOnceAndTheCommandsStillGetTheirArchives() throws Exception {
    Path log = dir.resolve("java.log");
    Path wrapper = dir.resolve("java");
    Files.writeString(
        wrapper,
        "#!/bin/sh\n"
            + "case \"$*\" in *-Xshare:dump*) echo dump >>'"
            + log
            + "'; exit 1 ;; esac\n"
            + "exec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(
        wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path home = Files.createDirectories(dir.resolve("xdg"));
    java.util.Map<String, String> env =
        java.util.Map.of("XDG_CACHE_HOME", home.toString(), "TESTRIG_JAVA", wrapper.toString());
    Path cache = home.resolve("testrig");
    String first = launch(env, "--version");
    assertTrue(first.startsWith("testrig ") && first.endsWith("\n--stderr--\n"), first);
    assertEquals(1, archives(cache, "-base.jsa.failed"));
    assertEquals(0, archives(cache, "-base.jsa"));
    launch(env, "--version");
    launch(env, "--version");
    assertEquals(1, archives(cache, "-other.jsa"));
    assertEquals(List.of("dump"), Files.readAllLines(log), "one try");
  }

  @Test
  void noUsableCacheDirectoryOrTestrigCds0MeansNoArchiveAndNoError() throws Exception {
    Path notADir = Files.writeString(dir.resolve("file"), "x");
    String out = launch(java.util.Map.of("XDG_CACHE_HOME", notADir.toString()), "--version");
    assertTrue(out.startsWith("testrig ") && out.endsWith("\n--stderr--\n"), out);
    Path home = Files.createDirectories(dir.resolve("off"));
    launch(java.util.Map.of("XDG_CACHE_HOME", home.toString(), "TESTRIG_CDS", "0"), "--version");
    assertEquals(0, archives(home.resolve("testrig"), ""));
  }
}

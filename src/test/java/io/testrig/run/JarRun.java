package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.testrig.engine.Labels;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code testrig} invocation as users make it: the shaded jar (system property {@code
 * testrig.jar}, set by failsafe) in its own JVM, with a clean copy of the environment, stdout and
 * stderr captured. While it runs, a watcher reads the run directories of its rig (config.json and
 * private keys) so the secrets it generated are known afterwards, and records the compose projects
 * of the rig's containers. {@link #assertLeftNothing} then proves the run left no labelled
 * container, network or volume, no run directory, and no secret in the console or the artifacts.
 */
final class JarRun {
  static final Path JAR = Path.of(System.getProperty("testrig.jar", "target/testrig.jar"));
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the process did. */
  record Result(int code, String out, String err, Duration took) {
    String console() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit "
          + code
          + " after "
          + took.toMillis()
          + " ms\n--- stdout\n"
          + out
          + "--- stderr\n"
          + err;
    }
  }

  private final Path rigFile;
  private final Path workDir;
  private final List<String> args;
  private final Map<String, String> env;
  private final Path runDir;
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private final Set<String> projects = ConcurrentHashMap.newKeySet();
  private final DockerClient docker;
  private Process process;
  private Path stdout;
  private Path stderr;
  private long startNanos;
  private Thread watcher;
  private volatile boolean watching;
  private Result result;

  /**
   * @param docker for the watcher's container listing (may be null for runs without an engine)
   * @param rigFile the rig the command uses (for labels and run directory names)
   * @param workDir the working directory (artifact paths in the report are relative to it)
   * @param runDir the {@code --run-dir} given in {@code args}, or null for the ephemeral default
   * @param args testrig's arguments
   */
  JarRun(DockerClient docker, Path rigFile, Path workDir, Path runDir, List<String> args) {
    this.docker = docker;
    this.rigFile = rigFile.toAbsolutePath().normalize();
    this.workDir = workDir;
    this.runDir = runDir == null ? null : runDir.toAbsolutePath().normalize();
    this.args = List.copyOf(args);
    this.env = cleanEnv();
  }

  /**
   * The test JVM's environment minus whatever would change testrig's behaviour: CI variables
   * (GitLab output, project names), TESTRIG_* values, XDG_RUNTIME_DIR (run directories then go to
   * /dev/shm/testrig-&lt;uid&gt;, as on a CI runner).
   */
  static Map<String, String> cleanEnv() {
    Map<String, String> e = new LinkedHashMap<>(System.getenv());
    e.keySet()
        .removeIf(
            k ->
                k.equals("CI")
                    || k.equals("GITLAB_CI")
                    || k.startsWith("CI_")
                    || k.startsWith("TESTRIG_")
                    || k.equals("XDG_RUNTIME_DIR"));
    return e;
  }

  JarRun env(String key, String value) {
    env.put(key, value);
    return this;
  }

  JarRun start() throws IOException {
    Files.createDirectories(workDir);
    String tag = Long.toString(System.nanoTime());
    stdout = Files.createTempFile("testrig-runit-out-" + tag, ".log");
    stderr = Files.createTempFile("testrig-runit-err-" + tag, ".log");
    List<String> cmd = new ArrayList<>();
    // A JVM started from a background job may inherit SIGINT as ignored and then never sees Ctrl-C;
    // env resets it, as an interactive shell or a CI runner's would be.
    cmd.addAll(List.of("env", "--default-signal=INT,TERM"));
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            JAR.toAbsolutePath().toString()));
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    startNanos = System.nanoTime();
    process = pb.start();
    watching = true;
    watcher = new Thread(this::watch, "runit-watch");
    watcher.setDaemon(true);
    watcher.start();
    return this;
  }

  /** Starts, waits and returns the result. */
  Result run() throws Exception {
    return start().await(Duration.ofMinutes(3));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Sends a signal (TERM, INT, KILL) to the testrig JVM. */
  void signal(String name) throws Exception {
    Process k = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).start();
    assertTrue(k.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, k.exitValue(), "kill -s " + name);
  }

  /** Waits until stdout holds {@code text}; fails when testrig ends first or time runs out. */
  void awaitOutput(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(stdout, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      assertTrue(process.isAlive(), "testrig ended before printing '" + text + "': " + read());
      Thread.sleep(5);
    }
    fail("testrig did not print '" + text + "' within " + timeout + ": " + read());
  }

  Result await(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      stopWatching();
      fail("testrig did not finish within " + timeout + ": " + read());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    stopWatching();
    result =
        new Result(
            process.exitValue(),
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8),
            took);
    Files.deleteIfExists(stdout);
    Files.deleteIfExists(stderr);
    return result;
  }

  private String read() throws IOException {
    return Files.readString(stdout) + Files.readString(stderr);
  }

  private void stopWatching() throws InterruptedException {
    watching = false;
    watcher.join(5_000);
    harvest(); // whatever is still there (a run directory that should have been wiped)
  }

  /** Every generated secret the run's config.json or keys held, while it ran. */
  Set<String> secrets() {
    return Set.copyOf(secrets);
  }

  /** The compose projects of the rig's containers seen while it ran. */
  Set<String> projects() {
    return Set.copyOf(projects);
  }

  private void watch() {
    int round = 0;
    while (watching) {
      harvest();
      if (docker != null && round++ % 10 == 0) {
        try {
          for (var c :
              docker
                  .listContainersCmd()
                  .withShowAll(true)
                  .withLabelFilter(Map.of(Labels.RIG, rigFile.toString()))
                  .exec()) {
            String p = c.getLabels().get(Labels.COMPOSE_PROJECT);
            if (p != null) {
              projects.add(p);
            }
          }
        } catch (RuntimeException e) {
          // The next round tries again.
        }
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads secrets from every run directory of this rig that exists right now. */
  private void harvest() {
    for (Path dir : runDirs()) {
      readConfig(dir.resolve("config.json"));
      try (Stream<Path> keys = Files.list(dir.resolve("certs"))) {
        keys.filter(p -> p.getFileName().toString().endsWith(".key")).forEach(this::readKey);
      } catch (IOException | RuntimeException e) {
        // No certs (yet), or wiped meanwhile.
      }
    }
    for (String a : args) {
      if (a.endsWith("config.json")) {
        readConfig(workDir.resolve(a));
      }
    }
  }

  private void readConfig(Path file) {
    try {
      collect(JSON.readTree(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      // Not there (yet), or being replaced: the next round reads it.
    }
  }

  private void collect(JsonNode n) {
    if (n.isTextual() && n.asText().length() >= 6) {
      secrets.add(n.asText());
    }
    n.forEach(this::collect);
  }

  /** Two lines of a private key's base64 body: enough to spot the key anywhere. */
  private void readKey(Path key) {
    try {
      List<String> body =
          Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----")).toList();
      body.stream().limit(2).filter(l -> l.length() >= 40).forEach(secrets::add);
    } catch (IOException | RuntimeException e) {
      // Wiped meanwhile.
    }
  }

  /**
   * This rig's run directories: the override (and its matrix subdirectories) or the ephemeral ones.
   */
  List<Path> runDirs() {
    List<Path> dirs = new ArrayList<>();
    if (runDir != null) {
      if (Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
        dirs.add(runDir);
        try (Stream<Path> s = Files.list(runDir)) {
          s.filter(Files::isDirectory).forEach(dirs::add);
        } catch (IOException e) {
          // Wiped meanwhile.
        }
      }
      return dirs;
    }
    Path base = ephemeralBase();
    String prefix = runDirPrefix();
    try (Stream<Path> s = Files.list(base)) {
      s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(dirs::add);
    } catch (IOException e) {
      // No base yet.
    }
    return dirs;
  }

  /** /dev/shm/testrig-&lt;uid&gt;, as secrets.RunDir picks it without XDG_RUNTIME_DIR. */
  static Path ephemeralBase() {
    try {
      return Path.of(
          "/dev/shm", "testrig-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code <rig name>-<12 hex of sha256(rig path)>}: how secrets.RunDir names a rig's directories,
   * computed independently here. The rig name is read from the rig file's {@code name:} line.
   */
  String runDirPrefix() {
    try {
      String name =
          Files.readAllLines(rigFile).stream()
              .filter(l -> l.startsWith("name:"))
              .map(l -> l.substring(5).replaceAll("#.*", "").strip())
              .findFirst()
              .orElseThrow();
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(rigFile.toString().getBytes(StandardCharsets.UTF_8));
      return name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + HexFormat.of().formatHex(d, 0, 6);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * After the run: nothing labelled with this rig (or {@code project}) on the engine, no run
   * directory, and no secret (raw, base64, URL-encoded) in the console or under {@code artifacts}.
   */
  void assertLeftNothing(DockerClient client, String project, Path artifacts) throws IOException {
    List<List<String>> filters = new ArrayList<>();
    filters.add(List.of(Labels.RUN_ID, Labels.RIG + "=" + rigFile));
    if (project != null) {
      filters.add(List.of(Labels.COMPOSE_PROJECT + "=" + project));
      filters.add(List.of(Labels.RUN_ID + "=" + project));
    }
    for (List<String> f : filters) {
      assertEquals(
          List.of(),
          client.listContainersCmd().withShowAll(true).withLabelFilter(f).exec().stream()
              .map(c -> c.getNames()[0])
              .toList(),
          "containers " + f);
      assertEquals(
          List.of(),
          client.listNetworksCmd().withFilter("label", f).exec().stream()
              .map(n -> n.getName())
              .toList(),
          "networks " + f);
      var vols = client.listVolumesCmd().withFilter("label", f).exec().getVolumes();
      assertEquals(0, vols == null ? 0 : vols.size(), "volumes " + f + ": " + vols);
    }
    assertEquals(List.of(), runDirs(), "run directories left");
    assertNoSecrets(artifacts);
  }

  /** No secret form in the console or in any file under {@code artifacts}. */
  void assertNoSecrets(Path artifacts) throws IOException {
    List<String> forms = new ArrayList<>();
    for (String s : secrets) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      forms.add(s);
      forms.add(Base64.getEncoder().encodeToString(b));
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(b));
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
      forms.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
    }
    for (String f : forms) {
      assertFalse(result.console().contains(f), "a secret form in the console: " + f);
    }
    if (artifacts == null || !Files.exists(artifacts)) {
      return;
    }
    try (Stream<Path> files = Files.walk(artifacts)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        for (String f : forms) {
          assertFalse(text.contains(f), "a secret form in " + p + ": " + f);
        }
      }
    }
  }
}

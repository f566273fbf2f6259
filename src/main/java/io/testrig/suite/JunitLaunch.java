package io.testrig.suite;

import io.testrig.core.TestrigException;
import io.testrig.rig.SuiteSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * How testrig calls the JUnit Platform console launcher (junit-platform-console-standalone,
 * https://docs.junit.org/current/user-guide/#running-tests-console-launcher) for a JVM suite,
 * locally or inside the suite's image.
 */
final class JunitLaunch {
  private JunitLaunch() {}

  /** Environment variable naming the console launcher jar. */
  static final String CONSOLE_ENV = "TESTRIG_JUNIT_CONSOLE";

  /** Where the builder image ships the console launcher. */
  static final String CONSOLE_DEFAULT = "/opt/testrig/junit-platform-console-standalone.jar";

  /** Directory (in the suite container) the jar and the classpath are copied to. */
  static final String REMOTE_ROOT = "/testrig-junit";

  /** The console launcher's path in the suite container. */
  static final String REMOTE_JAR = REMOTE_ROOT + "/junit-platform-console-standalone.jar";

  static Path consoleJar(Map<String, String> env) {
    String p = env.get(CONSOLE_ENV);
    return Path.of(p == null || p.isBlank() ? CONSOLE_DEFAULT : p);
  }

  static void requireConsole(Path jar, String suite) {
    if (!Files.isRegularFile(jar)) {
      throw TestrigException.badInput(
          "suites."
              + suite
              + ".junit: the JUnit console launcher is not at "
              + jar
              + " (set "
              + CONSOLE_ENV
              + ")");
    }
  }

  /**
   * The launcher's arguments after {@code -jar <jar>}: {@code execute}, the classpath, the
   * selectors ({@code --scan-classpath} when the rig gives none) and the reports directory. {@code
   * --fail-if-no-tests} makes a suite that finds nothing exit non-zero instead of passing; captured
   * stdout/stderr land in each testcase's system-out/system-err, where GitLab shows them.
   */
  static List<String> args(List<String> classpath, List<String> select, String reportsDir) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "execute",
                "--disable-banner",
                "--fail-if-no-tests",
                "--config=junit.platform.output.capture.stdout=true",
                "--config=junit.platform.output.capture.stderr=true"));
    if (!classpath.isEmpty()) {
      a.add("--class-path");
      a.add(String.join(":", classpath));
    }
    if (select == null || select.isEmpty()) {
      a.add("--scan-classpath");
    } else {
      a.addAll(select);
    }
    a.add("--reports-dir");
    a.add(reportsDir);
    return a;
  }

  /** The rig's classpath entries resolved against the rig directory; each must exist. */
  static List<Path> classpath(SuiteSpec.Jvm spec, Path rigDir) {
    List<String> entries = spec.junit().classpath();
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Path p = rigDir.resolve(entries.get(i)).normalize();
      if (!Files.exists(p)) {
        throw TestrigException.badInput(
            "suites." + spec.name() + ".junit.classpath[" + i + "]: " + p + " does not exist");
      }
      out.add(p);
    }
    return out;
  }

  /**
   * Writes a tar holding the console jar and the classpath under {@code testrig-junit/}, for the
   * engine's archive upload to {@code /}; returns the classpath as the container sees it.
   */
  static List<String> writeTar(Path console, List<Path> classpath, OutputStream sink)
      throws IOException {
    List<String> remote = new ArrayList<>();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sink)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dir(tar, "testrig-junit/");
      file(tar, console, "testrig-junit/junit-platform-console-standalone.jar");
      dir(tar, "testrig-junit/cp/");
      for (int i = 0; i < classpath.size(); i++) {
        Path entry = classpath.get(i);
        String base = "testrig-junit/cp/" + i + "/";
        dir(tar, base);
        if (Files.isDirectory(entry)) {
          try (Stream<Path> s = Files.walk(entry)) {
            for (Path p : s.sorted().toList()) {
              String rel = entry.relativize(p).toString();
              if (rel.isEmpty()) {
                continue;
              }
              if (Files.isDirectory(p)) {
                dir(tar, base + rel + "/");
              } else if (Files.isRegularFile(p)) {
                file(tar, p, base + rel);
              }
            }
          }
          remote.add(REMOTE_ROOT + "/cp/" + i);
        } else {
          String name = entry.getFileName().toString();
          file(tar, entry, base + name);
          remote.add(REMOTE_ROOT + "/cp/" + i + "/" + name);
        }
      }
      tar.finish();
    }
    return remote;
  }

  private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    // A name ending in '/' makes a directory entry, mode 0755 (TarArchiveEntry.DEFAULT_DIR_MODE).
    tar.putArchiveEntry(new TarArchiveEntry(name));
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, Path p, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(Files.size(p));
    e.setMode(0100644);
    tar.putArchiveEntry(e);
    Files.copy(p, tar);
    tar.closeArchiveEntry();
  }
}

package io.testrig.suite;

import io.testrig.core.TestrigException;
import io.testrig.rig.SuiteSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One of N parallel jobs running the same suite, as GitLab's {@code parallel: N} numbers them
 * ({@code CI_NODE_INDEX} 1..N, {@code CI_NODE_TOTAL} N; https://docs.gitlab.com/ci/yaml/#parallel).
 * Every suite gets {@code TESTRIG_SHARD_INDEX} and {@code TESTRIG_SHARD_TOTAL} (and the CI_NODE_*
 * pair) to split its tests by; a JVM suite that scans its classpath (no {@code junit.select}) is
 * split here, by test class: the console launcher has no sharding option of its own.
 */
public record Shard(int index, int total) {
  public static final Shard NONE = new Shard(1, 1);

  /**
   * The console launcher's default class name filter (--include-classname,
   * https://docs.junit.org/current/user-guide/#running-tests-console-launcher-options).
   */
  static final Pattern DEFAULT_INCLUDE = Pattern.compile("^(Test.*|.+[.$]Test.*|.*Tests?)$");

  public Shard {
    if (total < 1 || index < 1 || index > total) {
      throw TestrigException.badInput(
          "CI_NODE_INDEX=" + index + " CI_NODE_TOTAL=" + total + ": need 1 <= index <= total");
    }
  }

  /**
   * From CI_NODE_INDEX/CI_NODE_TOTAL; {@link #NONE} unless CI_NODE_TOTAL is above 1. GitLab sets
   * CI_NODE_TOTAL=1 and no CI_NODE_INDEX for a job without {@code parallel}
   * (https://docs.gitlab.com/ci/variables/predefined_variables/); gitlab-ci-local sets the index to
   * the text "null" then.
   */
  public static Shard fromEnv(Map<String, String> env) {
    String n = env.get("CI_NODE_TOTAL");
    if (n == null || n.isBlank()) {
      return NONE;
    }
    int total = number("CI_NODE_TOTAL", n);
    if (total <= 1) {
      return NONE;
    }
    return new Shard(number("CI_NODE_INDEX", env.get("CI_NODE_INDEX")), total);
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw TestrigException.badInput(name + "='" + value + "': expected a whole number");
    }
  }

  public boolean isSharded() {
    return total > 1;
  }

  /** The target with the shard's variables added to every suite's environment. */
  SuiteTarget target(SuiteTarget t) {
    if (!isSharded()) {
      return t;
    }
    Map<String, String> env = new LinkedHashMap<>(t.env());
    env.put("TESTRIG_SHARD_INDEX", String.valueOf(index));
    env.put("TESTRIG_SHARD_TOTAL", String.valueOf(total));
    env.put("CI_NODE_INDEX", String.valueOf(index));
    env.put("CI_NODE_TOTAL", String.valueOf(total));
    return new SuiteTarget(
        t.runId(), t.network(), t.compose(), env, t.labels(), t.rigDir(), t.runView());
  }

  /**
   * A JVM suite without {@code select}: its test classes (the launcher's default name filter,
   * top-level classes, sorted) dealt round-robin, this shard's as {@code --select-class}. A shard
   * left without classes gets a filter matching none, so the launcher reports no tests.
   */
  SuiteSpec spec(SuiteSpec spec, Path rigDir) {
    if (!isSharded() || !(spec instanceof SuiteSpec.Jvm jvm) || !jvm.junit().select().isEmpty()) {
      return spec;
    }
    List<String> all = testClasses(JunitLaunch.classpath(jvm, rigDir));
    List<String> select = new ArrayList<>();
    for (int k = index - 1; k < all.size(); k += total) {
      select.add("--select-class=" + all.get(k));
    }
    if (select.isEmpty()) {
      select = List.of("--scan-classpath", "--include-classname=^$");
    }
    return jvm.withJunit(new SuiteSpec.Junit(jvm.junit().classpath(), select));
  }

  /** Top-level classes in class directories and jars whose names the default filter takes. */
  static List<String> testClasses(List<Path> classpath) {
    TreeSet<String> names = new TreeSet<>();
    for (Path entry : classpath) {
      try {
        if (Files.isDirectory(entry)) {
          try (Stream<Path> s = Files.walk(entry)) {
            s.filter(Files::isRegularFile)
                .map(p -> entry.relativize(p).toString())
                .forEach(p -> addClass(names, p));
          }
        } else {
          try (ZipFile zip = new ZipFile(entry.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(p -> addClass(names, p));
          }
        }
      } catch (IOException e) {
        throw TestrigException.io("cannot list the test classes in " + entry + ": " + e, e);
      }
    }
    return List.copyOf(names);
  }

  private static void addClass(TreeSet<String> names, String path) {
    if (!path.endsWith(".class") || path.contains("$") || path.startsWith("META-INF/")) {
      return;
    }
    String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
    if (DEFAULT_INCLUDE.matcher(name).matches() && !name.endsWith("module-info")) {
      names.add(name);
    }
  }
}

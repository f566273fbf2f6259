package io.testrig.rig;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/**
 * One {@code suites:} entry: a test suite that runs against the stack. The kinds are a closed set
 * (issue 9, item 6), one record each; the rig file's keys stay as they were ({@code service}, or
 * {@code image} with {@code command}, or {@code junit}) and {@link SuiteYaml} maps them to a kind.
 * Adding a kind is one record here, its case in {@link SuiteYaml#toSpec()} and in {@code
 * suite.SuiteRunner}.
 */
@JsonDeserialize(using = SuiteYaml.Reader.class)
public sealed interface SuiteSpec {
  Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  String DEFAULT_REPORTS = "/reports";

  /** The suite's name in the report. */
  String name();

  /** How long the suite may run; default 30m. */
  Duration timeout();

  /**
   * A {@link Condition} ({@code when:}): the suite runs only in the configs where it holds and is
   * reported as skipped with the reason in the others; null runs it in every config.
   */
  String when();

  /** Directory in the suite's container where it writes JUnit XML; null when it has none. */
  default String reports() {
    return null;
  }

  /** The suite container's memory limit, e.g. {@code 256m}; null for none. */
  default String memory() {
    return null;
  }

  /** Whether the suite runs in the JVM's host process tree instead of a container. */
  default boolean runsOnHostJvm() {
    return this instanceof LocalJvm;
  }

  /**
   * {@code service:}: {@code docker compose run} of a service of the stack (usually behind a
   * profile), so compose applies everything it declares; memory belongs in its {@code mem_limit}.
   */
  record ComposeService(
      String name,
      String service,
      List<String> command,
      String reports,
      Duration timeout,
      String when)
      implements SuiteSpec {
    public ComposeService(
        String name, String service, List<String> command, String reports, Duration timeout) {
      this(name, service, command, reports, timeout, null);
    }

    public ComposeService {
      command = command == null ? List.of() : java.util.Collections.unmodifiableList(command);
      reports = reports == null ? DEFAULT_REPORTS : reports;
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
  }

  /** {@code image:} (+ {@code command}): a container on the stack network. */
  record Image(
      String name,
      String image,
      List<String> command,
      String reports,
      Duration timeout,
      String memory,
      String when)
      implements SuiteSpec {
    public Image(
        String name,
        String image,
        List<String> command,
        String reports,
        Duration timeout,
        String memory) {
      this(name, image, command, reports, timeout, memory, null);
    }

    public Image {
      command = command == null ? List.of() : java.util.Collections.unmodifiableList(command);
      reports = reports == null ? DEFAULT_REPORTS : reports;
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
  }

  /** A JVM suite, run by the JUnit console launcher: {@link JvmInContainer} or {@link LocalJvm}. */
  sealed interface Jvm extends SuiteSpec {
    Junit junit();

    /** The same suite with other launcher settings (a shard's own selection). */
    Jvm withJunit(Junit junit);
  }

  /** {@code junit:} with {@code image:}: the launcher and the classpath copied into the image. */
  record JvmInContainer(
      String name,
      String image,
      Junit junit,
      String reports,
      Duration timeout,
      String memory,
      String when)
      implements Jvm {
    public JvmInContainer(
        String name, String image, Junit junit, String reports, Duration timeout, String memory) {
      this(name, image, junit, reports, timeout, memory, null);
    }

    public JvmInContainer {
      reports = reports == null ? DEFAULT_REPORTS : reports;
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    @Override
    public Jvm withJunit(Junit j) {
      return new JvmInContainer(name, image, j, reports, timeout, memory, when);
    }
  }

  /**
   * {@code junit:} without {@code image:}, or with {@code junit.local: true}: the launcher on the
   * JVM running testrig; its XML goes straight to the suite's artifact directory.
   */
  record LocalJvm(String name, Junit junit, Duration timeout, String when) implements Jvm {
    public LocalJvm(String name, Junit junit, Duration timeout) {
      this(name, junit, timeout, null);
    }

    public LocalJvm {
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    @Override
    public Jvm withJunit(Junit j) {
      return new LocalJvm(name, j, timeout, when);
    }
  }

  /**
   * @param classpath jars/directories, relative to the rig file
   * @param select console launcher selectors, e.g. {@code --scan-classpath} or {@code
   *     --select-package=com.example}; empty: scan the classpath
   */
  record Junit(List<String> classpath, List<String> select) {
    public Junit {
      classpath = classpath == null ? List.of() : java.util.Collections.unmodifiableList(classpath);
      select = select == null ? List.of() : java.util.Collections.unmodifiableList(select);
    }
  }
}

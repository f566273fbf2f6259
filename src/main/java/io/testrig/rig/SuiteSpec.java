package io.testrig.rig;

import java.time.Duration;
import java.util.List;

/**
 * One {@code suites:} entry: a test suite that runs in its own container on the stack network.
 * Either {@code service} (a compose service, usually behind a profile) or {@code image} with {@code
 * command}; or {@code junit} for a JVM suite run by the JUnit console launcher.
 *
 * @param name the suite's name in the report
 * @param service compose service to run
 * @param image image to run (with {@code command})
 * @param command command (overrides the service's)
 * @param reports directory inside the container where the suite writes JUnit XML; default {@code
 *     /reports}
 * @param timeout how long the suite may run; default 30m
 * @param memory memory limit, e.g. {@code 256m}
 * @param junit a JVM suite: run junit-platform-console-standalone with this classpath/selection
 * @param when a {@link Condition}: the suite runs only in the configs where it holds, and is
 *     reported as skipped with the reason in the others
 */
public record SuiteSpec(
    String name,
    String service,
    String image,
    List<String> command,
    String reports,
    Duration timeout,
    String memory,
    JunitSpec junit,
    String when) {
  /** A suite that runs in every config. */
  public SuiteSpec(
      String name,
      String service,
      String image,
      List<String> command,
      String reports,
      Duration timeout,
      String memory,
      JunitSpec junit) {
    this(name, service, image, command, reports, timeout, memory, junit, null);
  }

  public SuiteSpec {
    command = command == null ? List.of() : command;
    reports = reports == null ? "/reports" : reports;
    timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
  }

  /**
   * A JVM suite run by the host JVM instead of in a container: {@code junit} without an {@code
   * image}, or with {@code junit.local: true}.
   */
  public boolean runsOnHostJvm() {
    return junit != null && (image == null || Boolean.TRUE.equals(junit.local()));
  }

  /**
   * @param classpath jars/directories, relative to the rig file
   * @param select console launcher selectors, e.g. {@code --scan-classpath} or {@code
   *     --select-package=com.example}
   * @param local run on the host JVM instead of in a container
   */
  public record JunitSpec(List<String> classpath, List<String> select, Boolean local) {}
}

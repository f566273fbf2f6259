package io.testrig.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code <testsuite>}. Nested suites of the inputs are flattened: each suite that holds
 * testcases becomes one of these. {@code timestamp} and {@code hostname} are kept as the tools
 * wrote them (null when absent).
 */
public record TestSuite(
    String name,
    String timestamp,
    String hostname,
    Map<String, String> properties,
    List<TestCase> cases,
    String systemOut,
    String systemErr) {

  public TestSuite {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a testsuite needs a name");
    }
    properties =
        Collections.unmodifiableMap(
            properties == null ? Map.of() : new LinkedHashMap<>(properties)); // keeps order
    cases = List.copyOf(cases == null ? List.of() : cases);
  }

  public static TestSuite of(String name, List<TestCase> cases) {
    return new TestSuite(name, null, null, Map.of(), cases, null, null);
  }

  public TestSuite plus(TestCase testCase) {
    List<TestCase> list = new ArrayList<>(cases);
    list.add(testCase);
    return new TestSuite(name, timestamp, hostname, properties, list, systemOut, systemErr);
  }

  /**
   * This suite for one matrix config: the config's name in brackets before the suite name, and its
   * (short) slug before every classname, e.g. {@code [tlsv1_2-true] tests.test_db}. GitLab's test
   * view shows a case's classname and name but not its testsuite's name
   * (https://docs.gitlab.com/ci/testing/unit_test_reports/), so the classname is where a reader can
   * see which config a case ran in.
   */
  public TestSuite forConfig(String configName, String slug) {
    String p = "[" + slug + "]";
    List<TestCase> list = new ArrayList<>(cases.size());
    for (TestCase c : cases) {
      list.add(c.withClassname(c.classname() == null ? p : p + " " + c.classname()));
    }
    return new TestSuite(
        "[" + configName + "] " + name,
        timestamp,
        hostname,
        properties,
        list,
        systemOut,
        systemErr);
  }

  /** This suite under another name. */
  public TestSuite withName(String newName) {
    return new TestSuite(newName, timestamp, hostname, properties, cases, systemOut, systemErr);
  }

  /** Sum of the known testcase times, in seconds. */
  public double time() {
    double t = 0;
    for (TestCase c : cases) {
      if (c.time() > 0) {
        t += c.time();
      }
    }
    return t;
  }

  public Report.Totals totals() {
    return Report.Totals.of(cases);
  }
}

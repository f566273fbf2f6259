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

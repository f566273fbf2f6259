package io.testrig.support;

import io.testrig.rig.SuiteSpec;
import io.testrig.rig.SuiteSpec.JunitSpec;
import java.time.Duration;
import java.util.List;

/**
 * Builds {@link SuiteSpec} records for tests, naming only what a test cares about; the rest stays
 * null, so the record's own defaults apply (reports {@code /reports}, timeout 30m).
 *
 * <pre>{@code
 * SuiteSpec s = Suites.named("api").image("busybox").command("sh", "-c", "true").build();
 * }</pre>
 */
public final class Suites {
  private final String name;
  private String service;
  private String image;
  private List<String> command;
  private String reports;
  private Duration timeout;
  private String memory;
  private JunitSpec junit;

  private Suites(String name) {
    this.name = name;
  }

  public static Suites named(String name) {
    return new Suites(name);
  }

  public Suites service(String s) {
    service = s;
    return this;
  }

  public Suites image(String i) {
    image = i;
    return this;
  }

  public Suites command(String... c) {
    command = List.of(c);
    return this;
  }

  public Suites command(List<String> c) {
    command = c;
    return this;
  }

  public Suites reports(String r) {
    reports = r;
    return this;
  }

  public Suites timeout(Duration t) {
    timeout = t;
    return this;
  }

  public Suites memory(String m) {
    memory = m;
    return this;
  }

  public Suites junit(JunitSpec j) {
    junit = j;
    return this;
  }

  /** A JVM suite: the console launcher with {@code classpath} and {@code select}. */
  public Suites junit(List<String> classpath, List<String> select, Boolean local) {
    return junit(new JunitSpec(classpath, select, local));
  }

  public SuiteSpec build() {
    return new SuiteSpec(name, service, image, command, reports, timeout, memory, junit);
  }
}

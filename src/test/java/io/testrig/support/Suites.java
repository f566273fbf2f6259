package io.testrig.support;

import io.testrig.rig.SuiteSpec;
import java.time.Duration;
import java.util.List;

/**
 * Builds {@link SuiteSpec} kinds for tests from the keys a rig file would give, naming only what a
 * test cares about; the rest stays null, so the records' own defaults apply (reports {@code
 * /reports}, timeout 30m). The kind follows the rig file's rules ({@code rig.SuiteYaml}).
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
  private SuiteSpec.Junit junit;
  private boolean local;

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

  /** A JVM suite: the console launcher with {@code classpath} and {@code select}. */
  public Suites junit(List<String> classpath, List<String> select, Boolean local) {
    junit = new SuiteSpec.Junit(classpath, select);
    this.local = Boolean.TRUE.equals(local);
    return this;
  }

  public SuiteSpec build() {
    if (service != null) {
      return new SuiteSpec.ComposeService(name, service, command, reports, timeout);
    }
    if (junit == null) {
      return new SuiteSpec.Image(name, image, command, reports, timeout, memory);
    }
    return image == null || local
        ? new SuiteSpec.LocalJvm(name, junit, timeout)
        : new SuiteSpec.JvmInContainer(name, image, junit, reports, timeout, memory);
  }
}

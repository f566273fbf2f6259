package io.testrig.rig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A {@code suites:} entry as the rig file spells it (docs/rig-file.md, "suites"), before it becomes
 * one {@link SuiteSpec} kind. Keys that do not fit together are an error at the entry's line.
 *
 * @param junit a JVM suite: run junit-platform-console-standalone with this classpath/selection
 * @param when a {@link Condition}: only in the configs where it holds
 */
record SuiteYaml(
    String name,
    String service,
    String image,
    List<String> command,
    String reports,
    Duration timeout,
    String memory,
    JunitYaml junit,
    String when) {

  /**
   * @param local run on the host JVM even when an image is given
   */
  record JunitYaml(List<String> classpath, List<String> select, Boolean local) {}

  /** Why these keys name no single kind, as {@code [key, what]}; null when they do. */
  String[] kindProblem() {
    int kinds =
        (service != null ? 1 : 0)
            + (image != null ? 1 : 0)
            + (junit != null && image == null ? 1 : 0);
    if (kinds != 1) {
      return new String[] {null, "needs exactly one of service, image or junit"};
    }
    if (junit != null && command != null && !command.isEmpty()) {
      return new String[] {
        "command", "a junit suite takes launcher arguments in junit.select, not a command"
      };
    }
    if (service != null && memory != null) {
      return new String[] {"memory", "set mem_limit on compose service '" + service + "' instead"};
    }
    return null;
  }

  /** The kind these keys describe; {@link #kindProblem()} is null. */
  SuiteSpec toSpec() {
    if (service != null) {
      return new SuiteSpec.ComposeService(name, service, command, reports, timeout, when);
    }
    if (junit == null) {
      return new SuiteSpec.Image(name, image, command, reports, timeout, memory, when);
    }
    SuiteSpec.Junit j = new SuiteSpec.Junit(junit.classpath(), junit.select());
    if (image == null || Boolean.TRUE.equals(junit.local())) {
      return new SuiteSpec.LocalJvm(name, j, timeout, when);
    }
    return new SuiteSpec.JvmInContainer(name, image, j, reports, timeout, memory, when);
  }

  /** Jackson reads the entry as written, then picks its kind. */
  static final class Reader extends JsonDeserializer<SuiteSpec> {
    @Override
    public SuiteSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      SuiteYaml y = ctxt.readValue(p, SuiteYaml.class);
      String[] problem = y.kindProblem();
      if (problem != null) {
        JsonMappingException e = JsonMappingException.from(p, problem[1]);
        if (problem[0] != null) {
          e.prependPath(y, problem[0]);
        }
        throw e;
      }
      return y.toSpec();
    }
  }
}

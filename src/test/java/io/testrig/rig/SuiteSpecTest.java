package io.testrig.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rig file's suite keys, unchanged, give one of the closed set of suite kinds (issue 9). */
class SuiteSpecTest {
  private static final Path FILE = Path.of("/r/testrig.yml");

  private static SuiteSpec suite(String entry) {
    return new RigLoader().parse(FILE, "suites:\n  - " + entry + "\n").suites().get(0);
  }

  private static String refused(String entry) {
    TestrigException e = assertThrows(TestrigException.class, () -> suite(entry));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    return e.getMessage();
  }

  @Test
  void eachKindFromTheKeysUsersWrite() {
    assertEquals(
        new SuiteSpec.ComposeService("a", "tests", List.of("-x"), "/out", Duration.ofSeconds(9)),
        suite("{name: a, service: tests, command: [-x], reports: /out, timeout: 9s}"));
    assertEquals(
        new SuiteSpec.Image("a", "img", List.of("true"), "/reports", Duration.ofMinutes(30), "64m"),
        suite("{name: a, image: img, command: ['true'], memory: 64m}"));
    SuiteSpec.Junit junit = new SuiteSpec.Junit(List.of("classes"), List.of());
    assertEquals(
        new SuiteSpec.JvmInContainer("a", "jre", junit, "/reports", Duration.ofMinutes(30), null),
        suite("{name: a, image: jre, junit: {classpath: [classes]}}"));
    assertEquals(
        new SuiteSpec.LocalJvm("a", junit, Duration.ofMinutes(30)),
        suite("{name: a, junit: {classpath: [classes]}}"));
    assertEquals(
        new SuiteSpec.LocalJvm("a", junit, Duration.ofMinutes(30)),
        suite("{name: a, image: jre, junit: {classpath: [classes], local: true}}"));
  }

  @Test
  void keysThatNameNoSingleKindAreAnErrorAtTheirLine() {
    assertEquals(
        "/r/testrig.yml:2: suites[0]: needs exactly one of service, image or junit",
        refused("{name: a}"));
    assertEquals(
        "/r/testrig.yml:2: suites[0]: needs exactly one of service, image or junit",
        refused("{name: a, service: s, image: i}"));
    assertEquals(
        "/r/testrig.yml:2: suites[0].command: a junit suite takes launcher arguments in"
            + " junit.select, not a command",
        refused("{name: a, junit: {}, command: [x]}"));
    assertEquals(
        "/r/testrig.yml:2: suites[0].memory: set mem_limit on compose service 's' instead",
        refused("{name: a, service: s, memory: 64m}"));
  }

  @Test
  void anUnknownSuiteKeyStillListsTheKnownOnes() {
    assertEquals(
        "/r/testrig.yml:2: suites[0].servise: unknown key (known: command, image, junit, memory,"
            + " name, reports, service, timeout, when)",
        refused("{name: a, servise: s}"));
  }
}

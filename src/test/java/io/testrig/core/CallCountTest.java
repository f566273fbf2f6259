package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallCountTest {
  @Test
  void composeIsThePluginOrTheStandaloneBinary() {
    assertTrue(CallCount.isCompose(List.of("docker", "compose", "version")));
    assertTrue(CallCount.isCompose(List.of("/usr/bin/docker", "compose", "up")));
    assertTrue(CallCount.isCompose(List.of("docker-compose", "config")));
    assertFalse(CallCount.isCompose(List.of("docker", "exec", "c", "true")));
    assertFalse(CallCount.isCompose(List.of("docker")));
    assertFalse(CallCount.isCompose(List.of("openssl", "compose")));
    assertFalse(CallCount.isCompose(List.of()));
  }

  @Test
  void countsOnlyComposeProcessesAndReportsOnlyWhenAsked() {
    int compose = CallCount.compose();
    int execs = CallCount.execs();
    CallCount.process(List.of("docker", "compose", "ps"));
    CallCount.process(List.of("docker", "ps"));
    CallCount.exec();
    assertEquals(compose + 1, CallCount.compose());
    assertEquals(execs + 1, CallCount.execs());

    StringWriter off = new StringWriter();
    CallCount.report(null, new PrintWriter(off));
    CallCount.report("0", new PrintWriter(off));
    assertEquals("", off.toString());
    StringWriter on = new StringWriter();
    CallCount.report("1", new PrintWriter(on));
    assertEquals(
        "testrig: calls: compose=" + CallCount.compose() + " exec=" + CallCount.execs(),
        on.toString().strip());
  }
}

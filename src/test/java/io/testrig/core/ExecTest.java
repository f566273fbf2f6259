package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecTest {
  @Test
  void missingBinaryFailsEarlyNamingIt() {
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                new Exec().run(List.of("no-such-binary-xyz", "--version"), Duration.ofSeconds(5)));
    assertEquals(ExitCode.ENGINE_UNAVAILABLE, e.exitCode());
    assertEquals("'no-such-binary-xyz' is not installed or not on PATH", e.getMessage());
  }

  @Test
  void capturesOutputAndExitCode() {
    Exec.Result r =
        new Exec()
            .env("X", "42")
            .run(List.of("sh", "-c", "echo out $X; echo err >&2; exit 3"), Duration.ofSeconds(5));
    assertEquals(3, r.exitCode());
    assertEquals("out 42\n", r.stdout());
    assertEquals("err\n", r.stderr());
  }

  @Test
  void failureNamesCommandAndRedactedOutput() {
    Redactor red = new Redactor();
    red.add("password.x", "hunter2hunter2");
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () ->
                new Exec(red::redact)
                    .check(
                        List.of("sh", "-c", "echo 'auth failed for hunter2hunter2' >&2; exit 1"),
                        Duration.ofSeconds(5),
                        ExitCode.STACK_FAILED));
    assertEquals(ExitCode.STACK_FAILED, e.exitCode());
    assertTrue(
        e.getMessage().startsWith("'sh -c echo 'auth failed for [MASKED password.x]'"),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("exited with 1: auth failed for [MASKED password.x]"),
        e.getMessage());
    assertFalse(e.getMessage().contains("hunter2hunter2"));
  }

  @Test
  void timeoutKillsAndSaysSo() {
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> new Exec().run(List.of("sleep", "30"), Duration.ofMillis(300)));
    assertEquals("'sleep 30' did not finish within 300 ms", e.getMessage());
  }
}

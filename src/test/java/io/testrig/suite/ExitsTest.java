package io.testrig.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import org.junit.jupiter.api.Test;

class ExitsTest {
  @Test
  void exitCodesAbove128NameTheSignal() {
    assertEquals("SIGKILL", Exits.signal(137));
    assertEquals("SIGTERM", Exits.signal(143));
    assertEquals("SIGSEGV", Exits.signal(139));
    assertEquals("SIGHUP", Exits.signal(129));
    assertEquals("SIGSYS", Exits.signal(159));
  }

  @Test
  void ordinaryExitCodesAreNoSignal() {
    assertNull(Exits.signal(0));
    assertNull(Exits.signal(1));
    assertNull(Exits.signal(128));
    assertNull(Exits.signal(160));
    assertNull(Exits.signal(255));
    assertNull(Exits.signal(-1));
  }

  @Test
  void memorySizesUseBinaryUnitsLikeDockerRun() {
    assertEquals(16L << 20, Exits.memoryBytes("16m", "s"));
    assertEquals(16L << 20, Exits.memoryBytes("16MB", "s"));
    assertEquals(1L << 30, Exits.memoryBytes("1g", "s"));
    assertEquals(8192L << 10, Exits.memoryBytes("8192k", "s"));
    assertEquals(7L << 20, Exits.memoryBytes(Long.toString(7L << 20), "s"));
    assertNull(Exits.memoryBytes(null, "s"));
  }

  @Test
  void badOrTinyMemoryIsBadInputNamingTheKey() {
    TestrigException e =
        assertThrows(TestrigException.class, () -> Exits.memoryBytes("lots", "api"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals("suites.api.memory: 'lots' is not a size like 256m or 1g", e.getMessage());
    e = assertThrows(TestrigException.class, () -> Exits.memoryBytes("4m", "api"));
    assertEquals("suites.api.memory: '4m' is below Docker's minimum of 6m", e.getMessage());
  }
}

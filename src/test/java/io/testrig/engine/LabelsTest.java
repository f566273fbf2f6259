package io.testrig.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void liveOwnerIsNotGone() {
    assertFalse(Labels.ownerGone(Labels.owner(ProcessHandle.current())));
  }

  @Test
  void finishedProcessIsGone() throws Exception {
    Process p = new ProcessBuilder("true").start();
    String owner = Labels.owner(p.toHandle());
    p.waitFor();
    assertTrue(Labels.ownerGone(owner), owner);
  }

  @Test
  void reusedPidIsGoneAndOtherHostsOrFormatsAreNeverJudged() {
    long pid = ProcessHandle.current().pid();
    assertTrue(Labels.ownerGone(Labels.hostname() + "/" + pid + "/1000"), "pid reused");
    assertFalse(Labels.ownerGone("another-host/1/0"));
    assertFalse(Labels.ownerGone("123@somewhere"));
    assertFalse(Labels.ownerGone(null));
  }

  @Test
  void startedLabel() {
    assertEquals(Instant.ofEpochSecond(42), Labels.started(Map.of(Labels.STARTED, "42")));
    assertNull(Labels.started(Map.of(Labels.STARTED, "soon")));
    assertNull(Labels.started(Map.of()));
  }
}

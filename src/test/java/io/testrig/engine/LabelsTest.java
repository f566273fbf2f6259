package io.testrig.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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

  @Test
  void aZombieOwnerIsGone() throws Exception {
    // `sleep 1 &` outlives its parent's shell, which execs `sleep 10` at once and so never reaps
    // it: a zombie from its exit on. (With `sleep 0 &` bash could reap the child itself before
    // its exec, which made this test fail under load in a CI run.)
    Process p = new ProcessBuilder("bash", "-c", "sleep 1 & echo $!; exec sleep 10").start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      long zombie = Long.parseLong(r.readLine().strip());
      long deadline = System.nanoTime() + 8_000_000_000L;
      while (!Labels.exited(zombie) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false));
      assertTrue(Labels.exited(zombie), "a zombie has exited");
      assertTrue(Labels.ownerGone(Labels.owner(ProcessHandle.of(zombie).orElseThrow())));
      assertFalse(Labels.exited(ProcessHandle.current().pid()), "this JVM runs");
    } finally {
      p.destroyForcibly();
    }
  }
}

package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupTest {
  private final StringWriter err = new StringWriter();

  @Test
  void closedRegistrationsLeaveNothingForTheHook() {
    Cleanup c = new Cleanup();
    List<String> ran = new ArrayList<>();
    try (var r = c.register("stack", () -> ran.add("stack"))) {
      ran.add("work");
    }
    assertEquals(0, c.runOpen(new PrintWriter(err)));
    assertEquals(List.of("work", "stack"), ran);
    assertFalse(c.interrupted());
    assertEquals("", err.toString());
  }

  @Test
  void openRegistrationsRunLastFirstOnceEach() {
    Cleanup c = new Cleanup();
    List<String> ran = new ArrayList<>();
    var wipe = c.register("run dir", () -> ran.add("wipe"));
    var down = c.register("stack testrig-1", () -> ran.add("down"));
    c.register(
        "failing",
        () -> {
          throw new IllegalStateException("boom");
        });
    assertEquals(3, c.runOpen(new PrintWriter(err)));
    down.close();
    wipe.close();
    assertEquals(List.of("down", "wipe"), ran);
    assertTrue(c.interrupted());
    assertTrue(err.toString().contains("cleaning up failing failed: boom"), err.toString());
    assertTrue(err.toString().contains("cleaned up stack testrig-1"), err.toString());
  }

  @Test
  void cancelDropsTheActionUnlessTheHookAlreadyBegan() {
    Cleanup c = new Cleanup();
    List<String> ran = new ArrayList<>();
    var report = c.register("report", () -> ran.add("report"));
    assertTrue(report.cancel());
    var late = c.register("late report", () -> ran.add("late"));
    c.register("stack", () -> ran.add("stack"));
    assertEquals(2, c.runOpen(new PrintWriter(err)));
    assertFalse(late.cancel(), "the hook owns it once it began");
    assertEquals(List.of("stack", "late"), ran);
    assertEquals("done", late.outcome());
  }

  @Test
  void nothingRegistersOnceAShutdownBeganSoNothingNewStarts() {
    // Issue 7 item 6: a config queued behind the running ones must not start after SIGINT.
    Cleanup c = new Cleanup();
    List<String> ran = new ArrayList<>();
    c.register("stack 1", () -> ran.add("stack 1"));
    List<String> order = new ArrayList<>();
    assertEquals(1, c.runOpen(new PrintWriter(err), () -> order.add("children ended")));
    TestrigException e =
        assertThrows(TestrigException.class, () -> c.register("stack 3", () -> ran.add("3")));
    assertEquals(ExitCode.INTERRUPTED, e.exitCode());
    assertEquals(List.of("stack 1"), ran);
    assertEquals(List.of("children ended"), order, "child processes end before any undo");
  }

  @Test
  void aShutdownWithNothingOpenStillRefusesLaterWork() {
    Cleanup c = new Cleanup();
    assertEquals(0, c.runOpen(new PrintWriter(err)));
    assertThrows(TestrigException.class, () -> c.register("run directory", () -> {}));
  }

  @Test
  void outcomeSaysWhetherTheActionRanAndHowItEnded() {
    Cleanup c = new Cleanup();
    var ok = c.register("ok", () -> {});
    var bad =
        c.register(
            "bad",
            () -> {
              throw new IllegalStateException("disk gone");
            });
    assertEquals(null, ok.outcome());
    ok.close();
    assertEquals("done", ok.outcome());
    assertThrows(IllegalStateException.class, bad::close);
    assertEquals("failed: disk gone", bad.outcome());
  }
}

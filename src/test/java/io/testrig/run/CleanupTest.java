package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(0, c.runOpen(new PrintWriter(err)));
    var late = c.register("late report", () -> ran.add("late"));
    c.register("stack", () -> ran.add("stack"));
    assertEquals(2, c.runOpen(new PrintWriter(err)));
    assertFalse(late.cancel(), "the hook owns it once it began");
    assertEquals(List.of("stack", "late"), ran);
  }
}

package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackgroundTest {
  @Test
  void theWorkRunsOnANamedDaemonThreadOfItsOwn() {
    Thread caller = Thread.currentThread();
    Thread t = Background.join(Background.start("testrig-x", Thread::currentThread));
    assertTrue(t != caller && t.isDaemon(), t.toString());
    assertEquals("testrig-x", t.getName());
  }

  @Test
  void aFailureIsRethrownAsItWasThrownNotWrapped() {
    TestrigException thrown = new TestrigException(ExitCode.ENGINE_UNAVAILABLE, "no engine");
    var f =
        Background.start(
            "testrig-x",
            () -> {
              throw thrown;
            });
    assertSame(thrown, assertThrows(TestrigException.class, () -> Background.join(f)));
    AssertionError err = new AssertionError("boom");
    var g =
        Background.start(
            "testrig-y",
            () -> {
              throw err;
            });
    assertSame(err, assertThrows(AssertionError.class, () -> Background.join(g)));
  }
}

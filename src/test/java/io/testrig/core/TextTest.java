package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void oneLineFoldsLineBreaksAndSaysNullForNoMessage() {
    assertEquals("a b  c", Text.oneLine(new IllegalStateException("  a\nb\r\nc\n")));
    assertEquals("null", Text.oneLine(new IllegalStateException()));
  }
}

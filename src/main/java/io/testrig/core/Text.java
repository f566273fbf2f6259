package io.testrig.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Small text helpers shared by every package. */
public final class Text {
  private Text() {}

  /** An exception's message on one line (line breaks become spaces); "null" when it has none. */
  public static String oneLine(Throwable e) {
    return oneLine(e.getMessage());
  }

  /** {@code s} stripped, with each line break replaced by a space; "null" for null. */
  public static String oneLine(String s) {
    return String.valueOf(s).strip().replace('\n', ' ').replace('\r', ' ');
  }

  /** A UTF-8 decoder that reports a malformed byte instead of replacing it with U+FFFD. */
  public static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** {@code bytes} as UTF-8, or empty when they are not valid UTF-8. */
  public static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(strictUtf8().decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}

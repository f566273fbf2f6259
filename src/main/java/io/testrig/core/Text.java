package io.testrig.core;

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
}

package io.testrig.dev;

import java.util.Locale;
import java.util.regex.Pattern;

/** POSIX shell quoting and variable names for what {@code testrig env} prints. */
final class Shell {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private Shell() {}

  /**
   * {@code s} as one shell word: as is when plain, else single-quoted ({@code '} as {@code '\''}).
   */
  static String quote(String s) {
    if (!s.isEmpty() && PLAIN.matcher(s).matches()) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** A variable name part: upper case, every other character than A-Z and 0-9 as {@code _}. */
  static String name(String s) {
    return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** {@code export NAME=value}, quoted. */
  static String export(String name, String value) {
    return "export " + name + "=" + quote(value);
  }
}

package io.testrig.secrets;

import io.testrig.rig.SecretsSpec.GeneratorSpec;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * One secret generator: a namespace of the template context ({@code password}, {@code token},
 * {@code hex}, {@code uuid} or a name from {@code secrets.generators}). Every value comes from
 * {@link SecureRandom}; constraints are met by rejection sampling (draw again), which keeps the
 * values uniform over the set of acceptable ones.
 *
 * <p>Why the password alphabet is alphanumerics only: it is the intersection of what is literal in
 * YAML plain scalars, URLs (RFC 3986 unreserved), shell words, JSON strings, SQL string literals,
 * .ini values and GitLab's masked-variable rule ("Base64 alphabet (RFC4648) and @ : . ~", at least
 * 8 characters, see https://gitlab.com/gitlab-org/gitlab/-/issues/367220). Starting with a letter
 * and containing a digit means no YAML 1.1/1.2 resolver reads it as a number, bool or null (every
 * such plain scalar either starts with a digit, sign or dot, or is a digit-free keyword like {@code
 * yes}, {@code off}, {@code null}).
 */
final class Generator {
  static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String DIGITS = "0123456789";
  static final String ALNUM = UPPER + LOWER + DIGITS;
  static final String HEX = "0123456789abcdef";

  private static final SecureRandom RANDOM = new SecureRandom();

  final String kind;
  final int length;
  final String alphabet;

  private Generator(String kind, int length, String alphabet) {
    this.kind = kind;
    this.length = length;
    this.alphabet = alphabet;
  }

  /** The built-in generator of a namespace, or null. */
  static Generator builtin(String name) {
    return switch (name) {
      case "password" -> new Generator("password", 32, ALNUM);
      case "token" -> new Generator("token", 32, null);
      case "hex" -> new Generator("hex", 64, HEX);
      case "uuid" -> new Generator("uuid", 36, null);
      default -> null;
    };
  }

  /** A generator from {@code secrets.generators.<name>} (already checked by the rig validator). */
  static Generator of(GeneratorSpec spec) {
    String kind =
        spec.kind() == null ? (spec.alphabet() != null ? "chars" : "password") : spec.kind();
    Generator base =
        "chars".equals(kind) ? new Generator("chars", 32, spec.alphabet()) : builtin(kind);
    int length = spec.length() == null ? base.length : spec.length();
    return new Generator(kind, "uuid".equals(kind) ? 36 : length, base.alphabet);
  }

  String generate() {
    return switch (kind) {
      case "password" -> password();
      case "token" -> token();
      case "hex" -> hex();
      case "uuid" -> UUID.randomUUID().toString();
      default -> draw(alphabet, length);
    };
  }

  /** Alphanumerics; first a letter; at least one upper, one lower, one digit. */
  private String password() {
    while (true) {
      String s = draw(ALNUM, length);
      if (Character.isLetter(s.charAt(0))
          && s.chars().anyMatch(Character::isUpperCase)
          && s.chars().anyMatch(Character::isLowerCase)
          && s.chars().anyMatch(Character::isDigit)) {
        return s;
      }
    }
  }

  /**
   * URL-safe base64 (RFC 4648 section 5, no padding) of {@code length} random bytes; first
   * character a letter so it is never read as an option (-x) or a number.
   */
  private String token() {
    byte[] bytes = new byte[length];
    while (true) {
      RANDOM.nextBytes(bytes);
      String s = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (Character.isLetter(s.charAt(0))) {
        return s;
      }
    }
  }

  /** Lower-case hex; first character a-f, so YAML never reads it as a number (e.g. 1e10). */
  private String hex() {
    while (true) {
      String s = draw(HEX, length);
      if (Character.isLetter(s.charAt(0))) {
        return s;
      }
    }
  }

  private static String draw(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    int[] cps = alphabet.codePoints().toArray();
    for (int i = 0; i < length; i++) {
      sb.appendCodePoint(cps[RANDOM.nextInt(cps.length)]);
    }
    return sb.toString();
  }
}

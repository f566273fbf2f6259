package io.testrig.core;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces every known secret value, and its base64, URL-encoded and JSON-escaped forms, with
 * {@code [MASKED <path>]}. One instance lives for a whole CLI invocation: the secrets store adds
 * each value it loads or generates, and every writer testrig owns (console, logs, report) passes
 * its text through {@link #redact}.
 *
 * <p>Limit: a secret inside a larger encoded blob (e.g. base64 of {@code user:password}) is only
 * caught when its encoded form stands on its own.
 */
public final class Redactor {
  /** Values shorter than this are not treated as secrets: they would mask ordinary words. */
  static final int MIN_LENGTH = 6;

  private final Map<String, String> forms = new LinkedHashMap<>();
  private volatile List<Map.Entry<String, String>> ordered = List.of();

  /** Registers a secret value under its config path (e.g. {@code password.db.app}). */
  public synchronized void add(String path, String value) {
    if (value == null || value.length() < MIN_LENGTH) {
      return;
    }
    String marker = "[MASKED " + path + "]";
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    put(value, marker);
    put(Base64.getEncoder().encodeToString(bytes), marker);
    put(Base64.getEncoder().withoutPadding().encodeToString(bytes), marker);
    put(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), marker);
    put(URLEncoder.encode(value, StandardCharsets.UTF_8), marker);
    put(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"), marker);
    put(jsonEscape(value), marker);
    // Sorted lazily on the next redact: adding a thousand secrets stays linear.
    ordered = null;
  }

  private List<Map.Entry<String, String>> ordered() {
    List<Map.Entry<String, String>> list = ordered;
    if (list != null) {
      return list;
    }
    synchronized (this) {
      if (ordered == null) {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(forms.entrySet());
        // Longest first, so a value that contains another secret is masked whole.
        sorted.sort(
            Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length())
                .reversed());
        ordered = List.copyOf(sorted);
      }
      return ordered;
    }
  }

  private void put(String form, String marker) {
    if (form.length() >= MIN_LENGTH) {
      forms.putIfAbsent(form, marker);
    }
  }

  /** True when no secret is registered (redact is then the identity). */
  public boolean isEmpty() {
    return ordered().isEmpty();
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (Map.Entry<String, String> e : ordered()) {
      if (result.contains(e.getKey())) {
        result = result.replace(e.getKey(), e.getValue());
      }
    }
    return result;
  }

  /** The longest registered form, so stream redactors know how much text to hold back. */
  public int longestForm() {
    List<Map.Entry<String, String>> list = ordered();
    return list.isEmpty() ? 0 : list.get(0).getKey().length();
  }

  static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '/' -> sb.append("\\/");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}

package io.testrig.core;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every known secret value, and its encoded forms, with {@code [MASKED <path>]}. One
 * instance lives for a whole CLI invocation: the secrets store adds each value it loads or
 * generates, and every writer testrig owns (console, logs, report) passes its text through {@link
 * #redact}.
 *
 * <p>Forms masked (issue 7, item 4): the value; base64 (standard and URL-safe alphabets, padded or
 * not) of the value alone <em>and of any text containing it</em>, such as the HTTP Basic {@code
 * base64("app:" + password)}; URL-encoded; JSON-escaped; hex, lower and upper case.
 *
 * <p>Base64 inside a longer encoding: base64 turns every 3 bytes into 4 characters, so the secret's
 * bytes start at one of three bit offsets (0, 8 or 16) within a 24-bit group, depending on the
 * length of what precedes it modulo 3. For each offset, the characters whose 6 bits come entirely
 * from the secret are the same whatever surrounds it; the one or two characters at each edge mix in
 * neighbouring bytes and vary. So testrig encodes the secret behind 0, 1 and 2 filler bytes and
 * keeps only those stable inner characters (from character ceil(8k/6) to floor((8k+8n)/6) for k
 * filler bytes and n secret bytes): three strings, at least 4n/3 - 2 characters long, of which
 * exactly one appears in any base64 text that encodes the secret. What stays visible around the
 * marker is at most two characters that each carry a few bits of the secret.
 *
 * <p>Matching is one pass over the text whatever the number of secrets: every registered form is at
 * least {@value #MIN_LENGTH} characters, so its first four characters index a table; a 65,536-bit
 * filter on those four characters rejects almost every position with a shift, a multiply and a bit
 * test. At a position that passes, the candidates are tried longest first (a value that contains
 * another secret is masked whole). bench/redact.sh measures the cost against a plain copy.
 */
public final class Redactor {
  /** Values shorter than this are not treated as secrets: they would mask ordinary words. */
  static final int MIN_LENGTH = 6;

  private final Map<String, String> forms = new LinkedHashMap<>();
  private volatile Table table = Table.EMPTY;

  /** Registers a secret value under its config path (e.g. {@code password.db.app}). */
  public synchronized void add(String path, String value) {
    if (value == null || value.length() < MIN_LENGTH) {
      return;
    }
    String marker = "[MASKED " + path + "]";
    for (String form : forms(value)) {
      if (form.length() >= MIN_LENGTH) {
        forms.putIfAbsent(form, marker);
      }
    }
    // Built lazily on the next redact: adding a thousand secrets stays linear.
    table = null;
  }

  /** Every string that gives the secret away; see the class comment. */
  static Set<String> forms(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Set<String> out = new LinkedHashSet<>();
    out.add(value);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    out.add(b64);
    out.add(urlSafe(b64));
    for (int k = 0; k < 3; k++) {
      String core = base64Core(bytes, k);
      out.add(core);
      out.add(urlSafe(core));
    }
    String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
    out.add(url);
    out.add(url.replace("+", "%20"));
    out.add(lowerPercent(url));
    out.add(lowerPercent(url.replace("+", "%20")));
    out.add(jsonEscape(value));
    out.add(jsonEscape(value).replace("\\/", "/"));
    out.add(HexFormat.of().formatHex(bytes));
    out.add(HexFormat.of().withUpperCase().formatHex(bytes));
    return out;
  }

  /**
   * The base64 characters of {@code bytes} preceded by {@code k} other bytes that depend on them
   * only.
   */
  static String base64Core(byte[] bytes, int k) {
    byte[] shifted = new byte[k + bytes.length];
    System.arraycopy(bytes, 0, shifted, k, bytes.length);
    String enc = Base64.getEncoder().withoutPadding().encodeToString(shifted);
    int from = (8 * k + 5) / 6;
    int to = (8 * k + 8 * bytes.length) / 6;
    return enc.substring(from, to);
  }

  private static String urlSafe(String b64) {
    return b64.replace('+', '-').replace('/', '_');
  }

  private static String lowerPercent(String s) {
    StringBuilder sb = new StringBuilder(s);
    for (int i = 0; i + 2 < sb.length(); i++) {
      if (sb.charAt(i) == '%') {
        sb.setCharAt(i + 1, Character.toLowerCase(sb.charAt(i + 1)));
        sb.setCharAt(i + 2, Character.toLowerCase(sb.charAt(i + 2)));
      }
    }
    return sb.toString();
  }

  private Table table() {
    Table t = table;
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (table == null) {
        table = new Table(forms);
      }
      return table;
    }
  }

  /** True when no secret is registered (redact is then the identity). */
  public boolean isEmpty() {
    return table().keys.length == 0;
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return table().redact(text);
  }

  /**
   * How many characters at the end of {@code text} could be the start of a secret form: a stream
   * that emits text before its line ends ({@link MaskingWriter}, an interactive {@code testrig
   * exec}) holds those back until the next characters tell whether a secret follows.
   */
  public int holdBack(CharSequence text) {
    String[] keys = table().keys;
    int n = text.length();
    int best = 0;
    for (String k : keys) {
      for (int len = Math.min(n, k.length() - 1); len > best; len--) {
        if (endsWith(text, k, len)) {
          best = len;
          break;
        }
      }
    }
    return best;
  }

  private static boolean endsWith(CharSequence text, String form, int len) {
    int off = text.length() - len;
    for (int i = 0; i < len; i++) {
      if (text.charAt(off + i) != form.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The registered forms, indexed by their first four characters; see the class comment. */
  private static final class Table {
    static final Table EMPTY = new Table(Map.of());

    final String[] keys;
    final String[] markers;
    final long[] filter = new long[1 << 10]; // 65,536 bits
    final Map<Long, int[]> byPrefix = new HashMap<>();

    Table(Map<String, String> forms) {
      List<Map.Entry<String, String>> sorted = new ArrayList<>(forms.entrySet());
      sorted.sort(
          Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
      keys = new String[sorted.size()];
      markers = new String[sorted.size()];
      Map<Long, List<Integer>> groups = new HashMap<>();
      for (int i = 0; i < keys.length; i++) {
        keys[i] = sorted.get(i).getKey();
        markers[i] = sorted.get(i).getValue();
        long p = prefix(keys[i]);
        int bit = bit(p);
        filter[bit >>> 6] |= 1L << bit;
        groups.computeIfAbsent(p, x -> new ArrayList<>()).add(i);
      }
      groups.forEach((p, l) -> byPrefix.put(p, l.stream().mapToInt(Integer::intValue).toArray()));
    }

    static long prefix(String s) {
      return ((long) s.charAt(0) << 48)
          | ((long) s.charAt(1) << 32)
          | ((long) s.charAt(2) << 16)
          | s.charAt(3);
    }

    static int bit(long prefix) {
      return (int) ((prefix * 0x9E3779B97F4A7C15L) >>> 48);
    }

    String redact(String text) {
      if (keys.length == 0) {
        return text;
      }
      StringBuilder out = null;
      int copied = 0;
      long window = 0;
      int filled = 0;
      int n = text.length();
      for (int i = 0; i < n; i++) {
        window = (window << 16) | text.charAt(i);
        if (++filled < 4) {
          continue;
        }
        int bit = bit(window);
        if ((filter[bit >>> 6] & (1L << bit)) == 0) {
          continue;
        }
        int start = i - 3;
        int hit = match(text, start, window);
        if (hit < 0) {
          continue;
        }
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, start).append(markers[hit]);
        copied = start + keys[hit].length();
        i = copied - 1;
        filled = 0;
      }
      if (out == null) {
        return text;
      }
      return out.append(text, copied, n).toString();
    }

    private int match(String text, int start, long window) {
      int[] candidates = byPrefix.get(window);
      if (candidates == null) {
        return -1;
      }
      for (int c : candidates) {
        if (text.startsWith(keys[c], start)) {
          return c;
        }
      }
      return -1;
    }
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

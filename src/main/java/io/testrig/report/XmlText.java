package io.testrig.report;

import java.util.regex.Pattern;

/** Text clean-up shared by reader and writer: XML 1.0 character rules and truncation. */
final class XmlText {
  private XmlText() {}

  /**
   * ANSI CSI sequences (colours, cursor moves, e.g. {@code ESC[31m}): ECMA-48 section 5.4,
   * parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, final byte 0x40-0x7E. GitLab's test
   * report does not render them, and ESC itself is not allowed in XML 1.0.
   */
  private static final Pattern ANSI_CSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");

  /**
   * Makes {@code s} representable in XML 1.0: drops ANSI CSI sequences and replaces every character
   * outside the production {@code Char} (https://www.w3.org/TR/xml/#charsets) — C0 controls other
   * than tab, LF and CR, U+FFFE/U+FFFF, and lone surrogates (what an invalid UTF-8 byte or a cut
   * pair becomes) — with U+FFFD. Returns null for null.
   */
  static String clean(String s) {
    if (s == null) {
      return null;
    }
    if (s.indexOf('\u001B') >= 0) {
      s = ANSI_CSI.matcher(s).replaceAll("");
    }
    StringBuilder sb = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok;
      int width = 1;
      if (Character.isHighSurrogate(c)) {
        ok = i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
        if (ok) {
          width = 2;
        }
      } else if (Character.isLowSurrogate(c)) {
        ok = false;
      } else {
        ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFFFD);
      }
      if (ok) {
        if (sb != null) {
          sb.append(s, i, i + width);
        }
      } else {
        if (sb == null) {
          sb = new StringBuilder(n).append(s, 0, i);
        }
        sb.append('\uFFFD');
      }
      i += width - 1;
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * {@code s} cut to at most about {@code max} characters: its head and its tail (where the error
   * usually is) around a visible marker naming how much of {@code what} was cut. With {@code max} 0
   * only the marker remains. Never splits a surrogate pair.
   */
  static String truncate(String s, int max, String what) {
    if (s == null || s.length() <= max) {
      return s;
    }
    if (max <= 0) {
      return "[testrig: dropped all "
          + s.length()
          + " characters of "
          + what
          + " to keep the report under its size limit]";
    }
    int head = safeCut(s, max / 2);
    int tail = safeCut(s, s.length() - (max - max / 2));
    return s.substring(0, head)
        + "\n[... testrig: truncated "
        + (tail - head)
        + " of "
        + s.length()
        + " characters of "
        + what
        + " ...]\n"
        + s.substring(tail);
  }

  /**
   * GitLab's ATTACHMENT_TAG_REGEX (lib/gitlab/ci/parsers/test/junit.rb,
   * https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/gitlab/ci/parsers/test/junit.rb): {@code
   * [[ATTACHMENT|path]]} with a path free of brackets and pipes.
   */
  static final Pattern ATTACHMENT = Pattern.compile("\\[\\[ATTACHMENT\\|[^\\[\\]|]+?\\]\\]");

  /** At most this many attachment tags are rescued from the cut part of one text. */
  static final int MAX_KEPT_ATTACHMENTS = 100;

  /**
   * Like {@link #truncate}, but every {@code [[ATTACHMENT|path]]} tag in the part that is cut away
   * (at most {@link #MAX_KEPT_ATTACHMENTS}) is kept, one per line after the marker: GitLab links
   * the first tag of a failed case's system-out, wherever the tool wrote it.
   */
  static String truncateKeepingAttachments(String s, int max, String what) {
    String cut = truncate(s, max, what);
    if (cut == null || cut.equals(s) || s.indexOf("[[ATTACHMENT|") < 0) {
      return cut;
    }
    int head = max <= 0 ? 0 : safeCut(s, max / 2);
    int tail = max <= 0 ? s.length() : safeCut(s, s.length() - (max - max / 2));
    StringBuilder tags = new StringBuilder();
    java.util.regex.Matcher m = ATTACHMENT.matcher(s);
    int kept = 0;
    while (m.find() && m.start() < tail && kept < MAX_KEPT_ATTACHMENTS) {
      // Any tag not wholly inside the kept head or tail (also one cut in half): keep it whole.
      if (m.end() > head) {
        tags.append(m.group()).append('\n');
        kept++;
      }
    }
    if (kept == 0) {
      return cut;
    }
    if (max <= 0) {
      return tags + cut;
    }
    int marker = cut.indexOf(" ...]\n", head) + " ...]\n".length();
    return cut.substring(0, marker) + tags + cut.substring(marker);
  }

  /** Moves a cut index off the middle of a surrogate pair. */
  private static int safeCut(String s, int index) {
    if (index > 0
        && index < s.length()
        && Character.isHighSurrogate(s.charAt(index - 1))
        && Character.isLowSurrogate(s.charAt(index))) {
      return index - 1;
    }
    return index;
  }
}

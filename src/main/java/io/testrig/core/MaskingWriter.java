package io.testrig.core;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer for live output ({@code testrig logs -f}, {@code testrig exec}): it masks secrets and
 * passes each finished line on at once, flushed. In {@code interactive} mode (a shell prompt, a
 * progress line) it also passes on the unfinished line, except its last characters while they could
 * be the start of a secret ({@link Redactor#holdBack}), so a secret split across two reads is still
 * masked. {@link RedactingWriter} instead holds a whole line until it ends, for files and reports.
 */
public final class MaskingWriter extends Writer {
  private final Writer out;
  private final Redactor redactor;
  private final boolean interactive;
  private final StringBuilder pending = new StringBuilder();

  public MaskingWriter(Writer out, Redactor redactor, boolean interactive) {
    this.out = out;
    this.redactor = redactor;
    this.interactive = interactive;
  }

  @Override
  public synchronized void write(char[] cbuf, int off, int len) throws IOException {
    pending.append(cbuf, off, len);
    int nl = pending.lastIndexOf("\n");
    if (nl >= 0) {
      out.write(redactor.redact(pending.substring(0, nl + 1)));
      pending.delete(0, nl + 1);
    }
    if (interactive && pending.length() > 0) {
      int safe = pending.length() - redactor.holdBack(pending);
      if (safe > 0) {
        out.write(redactor.redact(pending.substring(0, safe)));
        pending.delete(0, safe);
      }
    }
    out.flush();
  }

  /** Emits everything held back (the stream ended) and flushes. */
  @Override
  public synchronized void flush() throws IOException {
    if (pending.length() > 0) {
      out.write(redactor.redact(pending.toString()));
      pending.setLength(0);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}

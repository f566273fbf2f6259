package io.testrig.core;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that masks secrets line by line before passing text on. It holds back an unfinished line
 * until a newline or {@link #flush()}, so a secret split across two writes is still masked.
 */
public final class RedactingWriter extends Writer {
  private final Writer out;
  private final Redactor redactor;
  private final StringBuilder line = new StringBuilder();

  public RedactingWriter(Writer out, Redactor redactor) {
    this.out = out;
    this.redactor = redactor;
  }

  @Override
  public synchronized void write(char[] cbuf, int off, int len) throws IOException {
    int from = off;
    for (int i = off; i < off + len; i++) {
      if (cbuf[i] == '\n') {
        line.append(cbuf, from, i + 1 - from);
        emit();
        from = i + 1;
      }
    }
    line.append(cbuf, from, off + len - from);
  }

  private void emit() throws IOException {
    out.write(redactor.redact(line.toString()));
    line.setLength(0);
  }

  @Override
  public synchronized void flush() throws IOException {
    emit();
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
    out.close();
  }
}

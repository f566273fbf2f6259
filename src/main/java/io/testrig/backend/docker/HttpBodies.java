package io.testrig.backend.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** The two delimited HTTP/1.1 response bodies: chunked and Content-Length. */
final class HttpBodies {
  private HttpBodies() {}

  /** Whether {@code body} was read to its delimited end: none, chunked or Content-Length. */
  static boolean atEnd(InputStream body) {
    if (body instanceof Chunked c) {
      return c.done && c.left == 0;
    }
    return body instanceof Limited l && l.left == 0;
  }

  /** The body of a response that has none (HEAD, 204, 304). */
  static InputStream empty() {
    return new Limited(InputStream.nullInputStream(), 0);
  }

  /**
   * A chunked body (https://www.rfc-editor.org/rfc/rfc9112#section-7.1): hex size (extensions after
   * ';' ignored), CRLF, data, CRLF; a zero size, trailers and an empty line end it. The engine
   * sends streams (events, logs, pull progress) this way and flushes each message as one chunk, so
   * a read returns as soon as a chunk's first bytes arrive.
   */
  static final class Chunked extends InputStream {
    private final InputStream in;
    private long left; // bytes left in the current chunk
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left == 0 && !nextChunk()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the engine closed the connection inside a chunk");
      }
      left -= n;
      if (left == 0) {
        expectCrlf();
      }
      return n;
    }

    /** Reads the next chunk's size line; false at the last chunk (after its trailers). */
    private boolean nextChunk() throws IOException {
      if (done) {
        return false;
      }
      String line = EngineHttp.readLine(in);
      if (line == null) {
        throw new EOFException("the engine closed the connection before the last chunk");
      }
      int semi = line.indexOf(';');
      String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
      try {
        left = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size from the engine: " + line, e);
      }
      if (left < 0) {
        throw new IOException("bad chunk size from the engine: " + line);
      }
      if (left == 0) {
        done = true;
        for (String t = EngineHttp.readLine(in); t != null && !t.isEmpty(); ) {
          t = EngineHttp.readLine(in); // trailers: none that matter
        }
        return false;
      }
      return true;
    }

    private void expectCrlf() throws IOException {
      String rest = EngineHttp.readLine(in);
      if (rest == null || !rest.isEmpty()) {
        throw new IOException("a chunk from the engine does not end with CRLF");
      }
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(left, in.available());
    }
  }

  /** A body of Content-Length bytes. */
  static final class Limited extends InputStream {
    private final InputStream in;
    private long left;

    Limited(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the engine closed the connection " + left + " bytes early");
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the engine closed the connection " + left + " bytes early");
      }
      left -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(left, in.available());
    }
  }
}

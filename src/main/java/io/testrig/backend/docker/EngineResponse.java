package io.testrig.backend.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.testrig.backend.BackendException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One response of the engine: status, the two framing headers, and the body as a stream that is
 * already de-chunked. Closing it closes its connection, or keeps it for the next request (see
 * {@link EngineHttp#call}).
 */
final class EngineResponse implements Closeable {
  /** Error bodies are short JSON; a longer one is cut here. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  final int status;
  final String reason;
  final InputStream body;
  private final EngineHttp.Connection connection;
  private final EngineHttp pool; // where the connection goes when kept alive, or null
  private boolean closed;

  private EngineResponse(
      int status,
      String reason,
      InputStream body,
      EngineHttp.Connection connection,
      EngineHttp pool) {
    this.status = status;
    this.reason = reason;
    this.body = body;
    this.connection = connection;
    this.pool = pool;
  }

  /** The connection ended before any byte of an answer: the request may be sent again. */
  static final class NoAnswer extends IOException {
    NoAnswer(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads the status line and headers; the body stays on the connection. With a {@code pool}, the
   * connection is released to it on close when the engine kept it alive and the body was read to
   * its end.
   */
  static EngineResponse read(EngineHttp.Connection c, String method, EngineHttp pool)
      throws IOException {
    String statusLine = EngineHttp.readLine(c.in);
    if (statusLine == null) {
      throw new NoAnswer("the engine closed the connection without an HTTP response", null);
    }
    if (!statusLine.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response from the engine: " + statusLine);
    }
    String[] parts = statusLine.split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IOException("bad status line from the engine: " + statusLine, e);
    }
    long length = -1;
    boolean chunked = false;
    boolean keep = statusLine.startsWith("HTTP/1.1");
    for (String h = EngineHttp.readLine(c.in); h != null && !h.isEmpty(); ) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding")) {
          chunked = value.contains("chunked");
        } else if (name.equals("connection")) {
          keep &= !value.contains("close");
        }
      }
      h = EngineHttp.readLine(c.in);
    }
    InputStream body = body(c.in, method, status, chunked, length);
    return new EngineResponse(
        status, parts.length > 2 ? parts[2] : "", body, c, keep ? pool : null);
  }

  /**
   * How the body is delimited (https://www.rfc-editor.org/rfc/rfc9112#section-6.3): none for HEAD,
   * 204 and 304; chunked; Content-Length; else everything until the engine closes the connection (a
   * hijacked stream: exec output, which has neither header).
   */
  private static InputStream body(
      InputStream in, String method, int status, boolean chunked, long length) {
    if (method.equals("HEAD") || status == 204 || status == 304) {
      return HttpBodies.empty();
    }
    if (chunked) {
      return new HttpBodies.Chunked(in);
    }
    if (length >= 0) {
      return new HttpBodies.Limited(in, length);
    }
    return in;
  }

  boolean ok() {
    return status >= 200 && status < 300;
  }

  /** This response when it is a success; else the engine's error, and the connection closed. */
  EngineResponse check() throws IOException {
    return check(null);
  }

  /**
   * Like {@link #check()}; {@code notModified} is the message of a 304, which has no body (the
   * engine's own text for it is lost on the wire).
   */
  EngineResponse check(String notModified) throws IOException {
    if (ok() || status == 101) {
      return this;
    }
    try (this) {
      String message = status == 304 && notModified != null ? notModified : errorMessage();
      throw error(status, message);
    }
  }

  /**
   * The neutral exception for an error status: the engine's message, unchanged but on one line
   * (https://docs.docker.com/reference/api/engine/version/v1.41/#section/Errors: {@code {"message":
   * "..."}}).
   */
  static BackendException error(int status, String message) {
    return switch (status) {
      case 404 -> new BackendException.NotFound(message, null);
      case 409 -> new BackendException.Conflict(message, null);
      case 304 -> new BackendException.NotModified(message, null);
      default -> new BackendException(message, null);
    };
  }

  /** The {@code message} of the error body, its text when it is not JSON, else the status. */
  String errorMessage() throws IOException {
    byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      try {
        JsonNode m = EngineJson.read(bytes).get("message");
        if (m != null && m.isTextual()) {
          text = m.textValue();
        }
      } catch (IOException e) {
        // Not JSON after all: the text itself is the best message there is.
      }
    }
    if (text.isBlank()) {
      text = "HTTP " + status + " " + reason;
    }
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /** The whole body as a JSON tree; the connection is closed (or kept) afterwards. */
  JsonNode json() throws IOException {
    try (this) {
      JsonNode tree = EngineJson.read(body);
      body.transferTo(OutputStream.nullOutputStream()); // a chunked body's last chunk
      return tree;
    }
  }

  /** Reads the body to its end and closes: for responses whose content does not matter. */
  void discard() throws IOException {
    try (this) {
      body.transferTo(OutputStream.nullOutputStream());
    }
  }

  /**
   * Closes the connection, or hands it back to its pool when the engine kept it alive and the body
   * was read to its delimited end (so the next response starts right after it).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (pool != null && HttpBodies.atEnd(body)) {
      pool.release(connection);
    } else {
      connection.close();
    }
  }
}

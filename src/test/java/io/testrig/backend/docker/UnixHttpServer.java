package io.testrig.backend.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 server on a unix socket in a temp dir, answering each request from a test's
 * handler with bytes the test writes itself (so it can send chunked bodies, frames or a broken
 * response). It records every request. Written independently of the client it tests: its own
 * request parsing, chunked decoding included.
 */
final class UnixHttpServer implements AutoCloseable {
  record Request(String method, String target, Map<String, String> headers, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  interface Handler {
    void handle(Request r, OutputStream out) throws IOException, InterruptedException;
  }

  final Path socket;
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = Collections.synchronizedList(new ArrayList<>());
  private volatile Handler handler;

  /** Targets answered as soon as the head is read, the body left unread (a server hanging up). */
  volatile java.util.function.Predicate<String> answerBeforeBody = t -> false;

  UnixHttpServer(Path dir, Handler handler) throws IOException {
    this.socket = dir.resolve("engine.sock");
    this.handler = handler;
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(this::acceptLoop, "unix-http-server");
    t.setDaemon(true);
    t.start();
  }

  String host() {
    return "unix://" + socket;
  }

  void handler(Handler h) {
    handler = h;
  }

  /** The requests whose target starts with {@code prefix}. */
  List<Request> requests(String prefix) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.target().startsWith(prefix)).toList();
    }
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel c = server.accept();
        open.add(c);
        Thread t = new Thread(() -> serve(c), "unix-http-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      InputStream in = new BufferedInputStream(Channels.newInputStream(c));
      OutputStream out = Channels.newOutputStream(c);
      Request r = read(in, answerBeforeBody);
      if (r == null) {
        return;
      }
      requests.add(r);
      handler.handle(r, out);
      out.flush();
    } catch (IOException | InterruptedException e) {
      // The client went away (a cancelled stream): fine.
    }
  }

  private static Request read(InputStream in, java.util.function.Predicate<String> early)
      throws IOException {
    String line = line(in);
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    byte[] body;
    if (early.test(parts[1])) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int n = Integer.parseInt(line(in), 16); n > 0; n = Integer.parseInt(line(in), 16)) {
        b.write(in.readNBytes(n));
        line(in);
      }
      line(in);
      body = b.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    return new Request(parts[0], parts[1], headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  // ------------------------------------------------------------ response helpers

  static void json(OutputStream out, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    head(out, status, "Content-Type: application/json\r\nContent-Length: " + body.length);
    out.write(body);
  }

  static void empty(OutputStream out, int status) throws IOException {
    head(out, status, status == 304 || status == 204 ? null : "Content-Length: 0");
  }

  static void head(OutputStream out, int status, String headers) throws IOException {
    // One request per connection: the server closes it after each response and says so.
    String h =
        "HTTP/1.1 "
            + status
            + " X\r\nConnection: close\r\n"
            + (headers == null ? "" : headers + "\r\n")
            + "\r\n";
    out.write(h.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A chunked response; each piece is one chunk, flushed on its own. */
  static void chunked(OutputStream out, int status, List<byte[]> pieces) throws IOException {
    head(out, status, "Transfer-Encoding: chunked");
    for (byte[] p : pieces) {
      chunk(out, p);
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  static void chunk(OutputStream out, byte[] p) throws IOException {
    out.write((Integer.toHexString(p.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(p);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A frame of the multiplexed stream: type (1 stdout, 2 stderr), 3 zero bytes, size, payload. */
  static byte[] frame(int type, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[8 + p.length];
    f[0] = (byte) type;
    f[4] = (byte) (p.length >>> 24);
    f[5] = (byte) (p.length >>> 16);
    f[6] = (byte) (p.length >>> 8);
    f[7] = (byte) p.length;
    System.arraycopy(p, 0, f, 8, p.length);
    return f;
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (SocketChannel c : open) {
        c.close();
      }
    }
  }
}

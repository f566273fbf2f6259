package io.testrig.backend.docker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 to the Docker engine, as much of it as the engine API needs: connections over a unix
 * socket, plain TCP, or TLS over TCP, a request with no body, a JSON body or a streamed body, and a
 * response whose body is Content-Length, chunked or read to the end. The engine API is plain REST
 * over HTTP/1.1 (https://docs.docker.com/reference/api/engine/version/v1.41/); hijacked streams
 * (exec output) are the rest of the connection after the headers.
 *
 * <p>On the unix socket, one connection per request: it makes every request independent (a stream
 * being read or cancelled never holds up another call; no idle connection to go stale, no body to
 * drain before reuse) and costs little: against dockerd 20.10 on the 2-core development machine,
 * warm, {@code GET /_ping} took 0.23–0.49 ms per request with a connection each and 0.12–0.18 ms on
 * one kept-alive connection, a few milliseconds per command at most. Over TCP with TLS a new
 * connection is a handshake: 17–50 ms per request against 0.2–0.7 ms kept alive (EngineTlsTest's
 * server on loopback), so there the requests whose answers are read to the end share kept-alive
 * connections ({@link #call}); streams always get their own.
 */
final class EngineHttp {
  /** How long a TCP connect may take before the engine counts as unreachable. */
  static final int CONNECT_TIMEOUT_MS = 5_000;

  private final Endpoint endpoint;
  private final String prefix;

  /**
   * @param prefix what goes before every path: {@code /v1.41} pins the API version
   *     (https://docs.docker.com/reference/api/engine/#versioned-api-and-sdk), empty for
   *     unversioned requests such as the first {@code /version}
   */
  EngineHttp(Endpoint endpoint, String prefix) {
    this.endpoint = endpoint;
    this.prefix = prefix;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** Where the engine listens: a unix socket, or TCP with optional TLS. */
  sealed interface Endpoint permits Unix, Tcp {}

  record Unix(Path socket) implements Endpoint {}

  /**
   * @param tls null for plain TCP
   * @param readTimeoutMs socket read timeout, 0 for none (streams may be quiet for long)
   */
  record Tcp(String host, int port, SSLContext tls, int readTimeoutMs) implements Endpoint {}

  /**
   * The endpoint of a DOCKER_HOST value as the docker CLI reads it: {@code unix:///path} or {@code
   * tcp://host[:port]}, where a missing port is 2376 with TLS and 2375 without
   * (https://docs.docker.com/reference/cli/dockerd/#bind-docker-to-another-hostport-or-a-unix-socket).
   */
  static Endpoint endpoint(String dockerHost, SSLContext tls) {
    URI uri = URI.create(dockerHost);
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    if (scheme.equals("unix")) {
      return new Unix(Path.of(uri.getPath()));
    }
    if (scheme.equals("tcp") && uri.getHost() != null) {
      int port = uri.getPort() > 0 ? uri.getPort() : tls == null ? 2375 : 2376;
      // An IPv6 literal comes bracketed from URI ("[::1]"); the socket and TLS want it bare.
      String h = uri.getHost().replaceAll("^\\[(.*)]$", "$1");
      return new Tcp(h, port, tls, 0);
    }
    throw new IllegalArgumentException("unsupported DOCKER_HOST " + dockerHost);
  }

  /** A request body: none, bytes (JSON) or a stream of unknown length sent chunked. */
  record Body(String contentType, byte[] bytes, InputStream stream) {
    static final Body NONE = new Body(null, null, null);

    static Body json(byte[] bytes) {
      return new Body("application/json", bytes, null);
    }

    static Body stream(String contentType, InputStream in) {
      return new Body(contentType, null, in);
    }
  }

  /** One request with its whole answer read, for {@link #uninterrupted}. */
  @FunctionalInterface
  interface Io<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code io} with the calling thread's interrupt flag cleared, and sets it again after. A
   * unix socket is an NIO channel, which closes itself when used on an interrupted thread
   * (ClosedByInterruptException, java.nio.channels.InterruptibleChannel), and the teardown after a
   * SIGINT runs on threads the signal interrupted: without this, every removal failed at once and
   * left the stack's network behind (SignalsIT). An interrupt that arrives during the request still
   * ends it.
   */
  static <T> T uninterrupted(Io<T> io) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      return io.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends one request on a new connection; the response's headers have been read. */
  EngineResponse send(String method, String pathAndQuery, Body body) throws IOException {
    return exchange(open(), method, pathAndQuery, body);
  }

  /**
   * A request whose response the caller reads to its end (JSON, or nothing): over TCP its
   * connection is kept for the next such request, as a TLS handshake per request would cost more
   * than the request (see {@link #IDLE_MAX}); on the unix socket, {@link #send}. A kept connection
   * the engine has closed meanwhile fails before any answer arrives; the request then goes once
   * more on a new connection.
   */
  EngineResponse call(String method, String pathAndQuery, Body body) throws IOException {
    if (!(endpoint instanceof Tcp) || body.stream() != null) {
      return send(method, pathAndQuery, body);
    }
    Connection kept = takeIdle();
    if (kept != null) {
      try {
        return exchange(kept, method, pathAndQuery, body, this);
      } catch (EngineResponse.NoAnswer e) {
        // Closed while idle: a new connection below.
      }
    }
    return exchange(open(), method, pathAndQuery, body, this);
  }

  /** A request without a body, as {@link #call(String, String, Body)}. */
  EngineResponse call(String method, String pathAndQuery) throws IOException {
    return call(method, pathAndQuery, Body.NONE);
  }

  /**
   * Idle connections kept per engine (TCP only): the engine's own Go HTTP server keeps them open
   * without an idle timeout; a few cover the parallel removals of a teardown.
   */
  static final int IDLE_MAX = 4;

  private final ArrayDeque<Connection> idle = new ArrayDeque<>();

  private synchronized Connection takeIdle() {
    return idle.pollFirst();
  }

  /** Keeps a connection whose response was read to its end, or closes it when enough are kept. */
  void release(Connection c) {
    synchronized (this) {
      if (idle.size() < IDLE_MAX) {
        idle.addFirst(c);
        return;
      }
    }
    c.close();
  }

  /** Closes the kept connections. */
  void closeIdle() {
    List<Connection> all;
    synchronized (this) {
      all = new ArrayList<>(idle);
      idle.clear();
    }
    all.forEach(Connection::close);
  }

  /** A new connection to the engine, for {@link #exchange}. */
  Connection open() throws IOException {
    return connect(endpoint);
  }

  /** Sends one request on {@code c} and reads the response's headers; closes {@code c} on error. */
  EngineResponse exchange(Connection c, String method, String pathAndQuery, Body body)
      throws IOException {
    return exchange(c, method, pathAndQuery, body, null);
  }

  /** As above; with a {@code pool}, the connection is kept alive and released to it at the end. */
  private EngineResponse exchange(
      Connection c, String method, String pathAndQuery, Body body, EngineHttp pool)
      throws IOException {
    try {
      try {
        writeRequest(c.out, method, prefix + pathAndQuery, body, pool != null);
      } catch (IOException e) {
        return earlyAnswer(c, method, e);
      }
      return EngineResponse.read(c, method, pool);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * The engine may answer before it read the whole body and close the connection, e.g. a 404 to an
   * upload into a container that is gone: the write then fails, but the answer is there to read and
   * says more than "broken pipe".
   */
  private static EngineResponse earlyAnswer(Connection c, String method, IOException writeError)
      throws IOException {
    try {
      return EngineResponse.read(c, method, null);
    } catch (EngineResponse.NoAnswer e) {
      throw new EngineResponse.NoAnswer(writeError.getMessage(), writeError);
    } catch (IOException e) {
      writeError.addSuppressed(e);
      throw writeError;
    }
  }

  /** A request without a body. */
  EngineResponse send(String method, String pathAndQuery) throws IOException {
    return send(method, pathAndQuery, Body.NONE);
  }

  static void writeRequest(
      OutputStream out, String method, String target, Body body, boolean keepAlive)
      throws IOException {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    // Any Host is accepted on a unix socket; "docker" is what the docker CLI sends there.
    head.append("Host: docker\r\nUser-Agent: testrig\r\n");
    if (!keepAlive) {
      head.append("Connection: close\r\n"); // HTTP/1.1 keeps a connection unless told
    }
    if (body.contentType() != null) {
      head.append("Content-Type: ").append(body.contentType()).append("\r\n");
    }
    if (body.stream() != null) {
      head.append("Transfer-Encoding: chunked\r\n");
    } else if (body.bytes() != null) {
      head.append("Content-Length: ").append(body.bytes().length).append("\r\n");
    } else if (!method.equals("GET") && !method.equals("DELETE")) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body.bytes() != null) {
      out.write(body.bytes());
    } else if (body.stream() != null) {
      writeChunked(body.stream(), out);
    }
    out.flush();
  }

  /** https://www.rfc-editor.org/rfc/rfc9112#section-7.1: size in hex, data, CRLF; 0 ends it. */
  private static void writeChunked(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n == 0) {
        continue;
      }
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(buf, 0, n);
      out.write(CRLF);
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** An open connection: buffered streams and the one close that ends both. */
  static final class Connection implements Closeable {
    final InputStream in;
    final OutputStream out;
    private final Closeable channel;

    Connection(InputStream in, OutputStream out, Closeable channel) {
      this.in = new BufferedInputStream(in, 16 * 1024);
      this.out = new BufferedOutputStream(out, 16 * 1024);
      this.channel = channel;
    }

    /** Closes the socket; a read blocked on it in another thread ends with an exception. */
    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // The connection is gone either way.
      }
    }
  }

  static Connection connect(Endpoint endpoint) throws IOException {
    if (endpoint instanceof Unix u) {
      // JDK 16+ unix domain sockets (JEP 380); streams over the channel, as it has no Socket.
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(u.socket()));
      } catch (IOException e) {
        ch.close();
        throw new IOException(u.socket() + ": " + e.getMessage(), e);
      }
      return new Connection(Channels.newInputStream(ch), Channels.newOutputStream(ch), ch);
    }
    Tcp t = (Tcp) endpoint;
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(t.host(), t.port()), CONNECT_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      s.setSoTimeout(t.readTimeoutMs());
      if (t.tls() != null) {
        s = tls(s, t);
      }
      return new Connection(s.getInputStream(), s.getOutputStream(), s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * TLS over the connected socket, checking the engine's certificate against DOCKER_CERT_PATH's CA
   * and its name against the host, as the docker CLI does.
   */
  private static Socket tls(Socket plain, Tcp t) throws IOException {
    SSLSocket s =
        (SSLSocket) t.tls().getSocketFactory().createSocket(plain, t.host(), t.port(), true);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(p);
    // The handshake must not hang on a port that never answers.
    s.setSoTimeout(t.readTimeoutMs() > 0 ? t.readTimeoutMs() : CONNECT_TIMEOUT_MS * 2);
    s.startHandshake();
    s.setSoTimeout(t.readTimeoutMs());
    return s;
  }

  /** Reads one CRLF-terminated header line (ISO-8859-1); null at the end of the stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (line.size() > 64 * 1024) {
        throw new IOException("header line longer than 64 KiB from the engine");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}

package io.testrig.backend.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import io.testrig.core.TestrigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS against a JSSE server on loopback that requires a client certificate, with a CA,
 * server and client certificates made by openssl in the layout of docker:dind's /certs/client:
 * PKCS#8 and PKCS#1 client keys, a server certificate from another CA, and a server name that does
 * not match. EngineTlsIT does the same against a real dockerd.
 */
class EngineTlsTest {
  @TempDir Path dir;
  SSLServerSocket server;
  final List<String> clientNames = new ArrayList<>();

  void openssl(Path cwd, String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Exec.Result r = new Exec().workDir(cwd).run(cmd, Duration.ofMinutes(1));
    assertEquals(0, r.exitCode(), r.stderr());
  }

  /** A CA in {@code ca/} and a leaf signed by it: {@code name}.pem and {@code name}-key.pem. */
  Path pki(String caName) throws IOException {
    Path d = Files.createDirectories(dir.resolve(caName));
    openssl(
        d,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=" + caName,
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem");
    return d;
  }

  void leaf(Path ca, String name, String subjectAltName, boolean pkcs1) {
    openssl(
        ca,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        name + "-key.pem",
        "-out",
        name + ".csr");
    openssl(
        ca,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        ext(ca, name, subjectAltName),
        "-out",
        name + ".pem");
    if (pkcs1) {
      openssl(ca, "rsa", "-in", name + "-key.pem", "-traditional", "-out", name + "-key.pem");
    }
  }

  private String ext(Path ca, String name, String san) {
    try {
      Path f = ca.resolve(name + ".ext");
      Files.writeString(
          f, san == null ? "extendedKeyUsage=clientAuth\n" : "subjectAltName=" + san + "\n");
      return f.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A cert path as DOCKER_CERT_PATH wants it. */
  Path certPath(String name, Path ca, String leaf) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.copy(ca.resolve("ca.pem"), d.resolve("ca.pem"));
    Files.copy(ca.resolve(leaf + ".pem"), d.resolve("cert.pem"));
    Files.copy(ca.resolve(leaf + "-key.pem"), d.resolve("key.pem"));
    return d;
  }

  /** Connections the server accepted, and whether it hangs up after each answer without saying. */
  final java.util.concurrent.atomic.AtomicInteger connections =
      new java.util.concurrent.atomic.AtomicInteger();

  volatile boolean dropAfterEach;

  /**
   * Serves over TLS, requiring a client certificate from the server's own CA: /version, and an
   * empty list for anything else; HTTP/1.1 keep-alive unless the client asks to close.
   */
  int serve(Path serverCerts) throws Exception {
    server =
        (SSLServerSocket)
            EngineTls.context(serverCerts)
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  SSLSocket s = (SSLSocket) server.accept();
                  s.setTcpNoDelay(true); // as Go's server: no 40 ms Nagle/delayed-ACK stalls
                  connections.incrementAndGet();
                  Thread c = new Thread(() -> connection(s));
                  c.setDaemon(true);
                  c.start();
                } catch (IOException e) {
                  return; // closed
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  private void connection(SSLSocket s) {
    try (s) {
      s.startHandshake();
      synchronized (clientNames) {
        clientNames.add(s.getSession().getPeerPrincipal().getName());
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = s.getOutputStream();
      for (String request = in.readLine(); request != null; request = in.readLine()) {
        // Read before answering: after the answer the test thread may already have set it for
        // the next request, and this connection must still be kept (CI saw 5 connections for 4).
        boolean close = dropAfterEach;
        for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
          close |= l.equalsIgnoreCase("Connection: close");
        }
        String json =
            request.contains("/version")
                ? "{\"Version\":\"26.1.0\",\"ApiVersion\":\"1.45\"}"
                : "[]";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // a refused handshake: the next client
    }
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  static Map<String, String> tls(int port, Path certPath) {
    return Map.of(
        "DOCKER_HOST",
        "tcp://127.0.0.1:" + port,
        "DOCKER_TLS_VERIFY",
        "1",
        "DOCKER_CERT_PATH",
        certPath.toString());
  }

  @Test
  void mutualTlsWithPkcs8AndPkcs1ClientKeysAndTheNameChecked() throws Exception {
    Path ca = pki("engine-ca");
    leaf(ca, "server", "IP:127.0.0.1,DNS:docker", false);
    leaf(ca, "client", null, false);
    leaf(ca, "client1", null, true);
    assertTrue(Files.readString(ca.resolve("client1-key.pem")).contains("BEGIN RSA PRIVATE KEY"));
    assertTrue(Files.readString(ca.resolve("client-key.pem")).contains("BEGIN PRIVATE KEY"));
    int port = serve(certPath("server-side", ca, "server"));
    for (String client : List.of("client", "client1")) {
      DockerBackend b =
          DockerConnect.connect(
              tls(port, certPath(client + "-side", ca, client)), Duration.ofSeconds(10));
      assertEquals("26.1.0", b.info().serverVersion());
      assertEquals(DockerConnect.TESTED_API, b.info().apiVersion());
      assertEquals("1", b.info().cliEnvironment().get("DOCKER_TLS_VERIFY"));
    }
    assertEquals(List.of("CN=client", "CN=client1"), clientNames);
  }

  /**
   * Over TCP the requests whose answers are read to the end share one kept-alive connection (a TLS
   * handshake each would cost more than the request); one the engine dropped while idle is
   * replaced, the request sent again.
   */
  @Test
  void requestsShareAKeptAliveConnectionAndADroppedOneIsReplaced() throws Exception {
    Path ca = pki("engine-ca");
    leaf(ca, "server", "IP:127.0.0.1", false);
    leaf(ca, "client", null, false);
    int port = serve(certPath("server-side", ca, "server"));
    DockerBackend b =
        DockerConnect.connect(
            tls(port, certPath("client-side", ca, "client")), Duration.ofSeconds(10));
    assertEquals(1, connections.get(), "the version probe");
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of(), b.listNetworks(io.testrig.backend.LabelFilter.of("k", null)));
    }
    assertEquals(2, connections.get(), "five requests, one connection");
    dropAfterEach = true;
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of(), b.listNetworks(io.testrig.backend.LabelFilter.of("k", null)));
    }
    // The first of them still went on the kept connection; each later one found it dropped.
    assertEquals(4, connections.get());
    b.close();
  }

  @Test
  void aServerFromAnotherCaOrWithAnotherNameIsRefused() throws Exception {
    Path ca = pki("engine-ca");
    leaf(ca, "client", null, false);
    leaf(ca, "server", "DNS:elsewhere", false);
    Path other = pki("other-ca");
    leaf(other, "server", "IP:127.0.0.1", false);
    Path clientSide = certPath("client-side", ca, "client");
    int port = serve(certPath("other-side", other, "server"));
    TestrigException e =
        assertThrows(
            TestrigException.class,
            () -> DockerConnect.connect(tls(port, clientSide), Duration.ZERO));
    assertTrue(e.getMessage().contains("certification path"), e.getMessage());
    server.close();
    int port2 = serve(certPath("misnamed-side", ca, "server"));
    e =
        assertThrows(
            TestrigException.class,
            () -> DockerConnect.connect(tls(port2, clientSide), Duration.ZERO));
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}

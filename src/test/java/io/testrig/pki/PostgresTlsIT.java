package io.testrig.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real TLS handshakes against a real PostgreSQL server using testrig's certificates: psql with
 * {@code sslmode=verify-full}, client-certificate auth ({@code cert clientcert=verify-full}), and
 * pgjdbc with the PKCS12 stores and the DER .pk8 key.
 *
 * <p>The server comes from Debian's postgresql package (scripts/setup-host.sh installs it). The
 * test runs initdb and pg_ctl in a fresh temp directory on a free loopback port. PostgreSQL refuses
 * to run as root, so when the test runs as root (CI containers, this machine) the server commands
 * run as the package's {@code postgres} system user through {@code runuser}; as any other user they
 * run directly. Clients run as the test's own user.
 */
class PostgresTlsIT {
  static final Duration TIMEOUT = Duration.ofSeconds(120);
  static final PkiFixture pki = new PkiFixture();
  static Path base;
  static Path data;
  static PkiResult certs;
  static PkiResult strangerCerts;
  static int port;
  static boolean root;

  @BeforeAll
  static void startPostgres() throws Exception {
    base = Files.createTempDirectory("testrig-pki-pg-");
    root = ((Integer) Files.getAttribute(base, "unix:uid")) == 0;
    certs =
        pki.issue(
            PkiFixture.spec(
                """
                issue:
                  postgres: {dns: [localhost, postgres]}
                  app: {usage: [client], common_name: app, pk8: true}
                """),
            base.resolve("run"),
            Instant.now());
    strangerCerts =
        pki.issue(
            PkiFixture.spec("issue: {app: {usage: [client], common_name: app}}"),
            base.resolve("stranger"),
            Instant.now());
    if (root) {
      chown(base, "postgres");
    }
    data = base.resolve("data");
    server(pgBin("initdb"), "-D", data.toString(), "-U", "postgres", "-A", "reject", "--no-sync");
    // The server's copies of its files, owned by the server's user: PostgreSQL refuses a key that
    // others can read.
    IssuedCert pg = certs.certs().get("postgres");
    serverFile(pg.chainPath(), "server.crt");
    serverFile(pg.keyPath(), "server.key");
    serverFile(certs.caCertPath(), "root.crt");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(
        data.resolve("postgresql.conf"),
        String.join(
            "\n",
            "port = " + port,
            "listen_addresses = 'localhost'",
            "unix_socket_directories = '" + base + "'",
            "ssl = on",
            "ssl_cert_file = 'server.crt'",
            "ssl_key_file = 'server.key'",
            "ssl_ca_file = 'root.crt'",
            ""),
        java.nio.file.StandardOpenOption.APPEND);
    // TLS only; role app only with a client certificate whose CN is "app" (cert auth always means
    // clientcert=verify-full; stated anyway, as users write it).
    Files.writeString(
        data.resolve("pg_hba.conf"),
        """
        hostssl all app      127.0.0.1/32 cert clientcert=verify-full
        hostssl all app      ::1/128      cert clientcert=verify-full
        hostssl all postgres 127.0.0.1/32 trust
        hostssl all postgres ::1/128      trust
        """);
    server(
        pgBin("pg_ctl"),
        "-D",
        data.toString(),
        "-l",
        base.resolve("pg.log").toString(),
        "-w",
        "-t",
        "60",
        "start");
    psqlOk(serverConn("postgres") + " sslcert=" + base.resolve("none"), "CREATE ROLE app LOGIN");
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
      server(pgBin("pg_ctl"), "-D", data.toString(), "-m", "immediate", "stop");
    }
    if (base != null) {
      try (Stream<Path> files = Files.walk(base)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // --- psql (libpq, OpenSSL)

  @Test
  void psqlVerifyFullSucceedsWithTheCa() {
    String out =
        psqlOk(
            serverConn("postgres"),
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    assertTrue(out.startsWith("t|TLSv1."), out);
  }

  @Test
  void psqlVerifyFullFailsForAnotherHostName() {
    Exec.Result r =
        psql(
            "host=wrong.example hostaddr=127.0.0.1 port="
                + port
                + " dbname=postgres user=postgres sslmode=verify-full sslrootcert="
                + certs.caCertPath(),
            "SELECT 1");
    assertFalse(r.ok());
    assertTrue(r.stderr().contains("does not match host name \"wrong.example\""), r.stderr());
  }

  @Test
  void psqlVerifyFullFailsWithAnotherRunsCa() {
    Exec.Result r =
        psql(
            "host=localhost port="
                + port
                + " dbname=postgres user=postgres sslmode=verify-full"
                + " sslrootcert="
                + strangerCerts.caCertPath(),
            "SELECT 1");
    assertFalse(r.ok());
    assertTrue(r.stderr().contains("certificate verify failed"), r.stderr());
  }

  @Test
  void clientCertificateAuthenticatesTheRole() {
    IssuedCert app = certs.certs().get("app");
    String out =
        psqlOk(
            serverConn("app") + " sslcert=" + app.certPath() + " sslkey=" + app.keyPath(),
            "SELECT current_user, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    assertEquals("app|/CN=app", out.strip());
  }

  @Test
  void withoutAValidClientCertificateTheRoleIsRefused() {
    Exec.Result none = psql(serverConn("app") + " sslcert=" + base.resolve("none"), "SELECT 1");
    assertFalse(none.ok());
    assertTrue(
        none.stderr().contains("connection requires a valid client certificate"), none.stderr());
    IssuedCert stranger = strangerCerts.certs().get("app");
    Exec.Result foreign =
        psql(
            serverConn("app") + " sslcert=" + stranger.certPath() + " sslkey=" + stranger.keyPath(),
            "SELECT 1");
    assertFalse(foreign.ok());
    // The server rejects a client certificate from another CA in the handshake.
    assertTrue(foreign.stderr().contains("alert unknown ca"), foreign.stderr());
  }

  // --- pgjdbc (JDK TLS)

  @Test
  void jdbcTrustsTheServerThroughThePkcs12Truststore() throws SQLException {
    Properties p = pkcs12Props("postgres", false);
    try (Connection c = DriverManager.getConnection(jdbcUrl("localhost"), p);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertTrue(rs.next());
      assertTrue(rs.getBoolean(1));
      assertTrue(rs.getString(2).startsWith("TLSv1."));
    }
  }

  @Test
  void jdbcVerifyFullFailsForANameNotInTheCertificate() {
    // The server certificate names localhost and postgres, not the address 127.0.0.1.
    SQLException e =
        assertThrows(
            SQLException.class,
            () ->
                DriverManager.getConnection(jdbcUrl("127.0.0.1"), pkcs12Props("postgres", false))
                    .close());
    assertTrue(e.getMessage().contains("127.0.0.1 could not be verified"), e.getMessage());
  }

  @Test
  void jdbcAuthenticatesWithThePkcs12Keystore() throws SQLException {
    Properties p = pkcs12Props("app", true);
    assertEquals("app", currentUser(p));
  }

  @Test
  void jdbcAuthenticatesWithTheDerPk8Key() throws SQLException {
    IssuedCert app = certs.certs().get("app");
    Properties p = new Properties();
    p.setProperty("user", "app");
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslrootcert", certs.caCertPath().toString());
    p.setProperty("sslcert", app.certPath().toString());
    p.setProperty("sslkey", app.pk8Path().toString());
    assertEquals("app", currentUser(p));
  }

  // --- helpers

  private static String currentUser(Properties p) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("localhost"), p);
        ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  private static Properties pkcs12Props(String user, boolean clientCert) {
    IssuedCert store = certs.certs().get(clientCert ? "app" : "postgres");
    String name = store.name();
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslfactory", Pkcs12SocketFactory.class.getName());
    p.setProperty("testrig.truststore", store.truststorePath().toString());
    p.setProperty(
        "testrig.truststore.password", pki.secrets.get("password.certs." + name + ".truststore"));
    if (clientCert) {
      p.setProperty("testrig.keystore", store.keystorePath().toString());
      p.setProperty(
          "testrig.keystore.password", pki.secrets.get("password.certs." + name + ".keystore"));
    }
    return p;
  }

  private static String jdbcUrl(String host) {
    return "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=30";
  }

  private static String serverConn(String user) {
    return "host=localhost port="
        + port
        + " dbname=postgres user="
        + user
        + " sslmode=verify-full sslrootcert="
        + certs.caCertPath();
  }

  private static Exec.Result psql(String conninfo, String sql) {
    return new Exec()
        .env("PGCONNECT_TIMEOUT", "30")
        .run(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", conninfo, "-c", sql), TIMEOUT);
  }

  private static String psqlOk(String conninfo, String sql) {
    Exec.Result r = psql(conninfo, sql);
    assertTrue(r.ok(), "psql failed: " + r.stderr() + log());
    return r.stdout().strip();
  }

  private static String log() {
    try {
      return "\npostgres log:\n" + Files.readString(base.resolve("pg.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** Runs a server command, as the postgres user when we are root. */
  private static void server(String... command) {
    List<String> cmd = new ArrayList<>();
    if (root) {
      cmd.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    Exec.Result r = new Exec().workDir(base).run(cmd, TIMEOUT);
    assertTrue(r.ok(), cmd + ": " + r.stdout() + r.stderr() + log());
  }

  private static void serverFile(Path from, String name) throws IOException {
    Path to = data.resolve(name);
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
    if (root) {
      chown(to, "postgres");
    }
  }

  private static void chown(Path p, String user) throws IOException {
    UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(p, users.lookupPrincipalByName(user));
    Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
        .setGroup(users.lookupPrincipalByGroupName(user));
  }

  /** The newest installed PostgreSQL's binaries (Debian: /usr/lib/postgresql/<major>/bin). */
  private static String pgBin(String binary) {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .filter(v -> Files.isExecutable(v.resolve("bin/" + binary)))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
          .orElseThrow(() -> new AssertionError("no PostgreSQL server: run scripts/setup-host.sh"))
          .resolve("bin/" + binary)
          .toString();
    } catch (IOException e) {
      throw new AssertionError("no /usr/lib/postgresql: run scripts/setup-host.sh", e);
    }
  }
}

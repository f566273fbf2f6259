package io.testrig.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSL, a client independent of the JDK and of BouncyCastle, checks what testrig issues. */
class PkiOpensslTest {
  @TempDir Path dir;
  final PkiFixture pki = new PkiFixture();

  private static Exec.Result openssl(Exec exec, String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    return exec.run(cmd, Duration.ofSeconds(60));
  }

  private static Exec.Result openssl(String... args) {
    return openssl(new Exec(), args);
  }

  private static void ok(Exec.Result r) {
    assertTrue(r.ok(), r.command() + " -> " + r.exitCode() + ": " + r.stdout() + r.stderr());
  }

  private static void fails(Exec.Result r, String expected) {
    assertFalse(r.ok(), r.command() + " should fail: " + r.stdout());
    assertTrue(
        (r.stdout() + r.stderr()).contains(expected), r.command() + ": " + r.stdout() + r.stderr());
  }

  @Test
  void everyLeafVerifiesAgainstTheCaForItsPurposeAndNames() {
    PkiResult r =
        pki.issue(
            """
            issue:
              db: {dns: [db, localhost], ip: [127.0.0.1, "::1"], usage: [server, client]}
              app: {usage: [client]}
              web: {key: rsa-2048}
            """,
            dir);
    String ca = r.caCertPath().toString();
    for (IssuedCert c : r.certs().values()) {
      ok(openssl("verify", "-x509_strict", "-CAfile", ca, c.certPath().toString()));
      // The chain file verifies too: its first certificate is the leaf.
      ok(openssl("verify", "-x509_strict", "-CAfile", ca, c.chainPath().toString()));
      // The key file is the certificate's key.
      String certPub =
          openssl("x509", "-in", c.certPath().toString(), "-noout", "-pubkey").stdout();
      String keyPub = openssl("pkey", "-in", c.keyPath().toString(), "-pubout").stdout();
      assertEquals(certPub, keyPub, c.name());
    }
    String db = r.certs().get("db").certPath().toString();
    ok(
        openssl(
            "verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_hostname", "localhost", db));
    ok(openssl("verify", "-CAfile", ca, "-purpose", "sslclient", "-verify_ip", "127.0.0.1", db));
    ok(openssl("verify", "-CAfile", ca, "-verify_ip", "::1", db));
    fails(
        openssl("verify", "-CAfile", ca, "-verify_hostname", "other.test", db),
        "hostname mismatch");
    fails(openssl("verify", "-CAfile", ca, "-verify_ip", "10.0.0.1", db), "IP address mismatch");
    String app = r.certs().get("app").certPath().toString();
    ok(openssl("verify", "-CAfile", ca, "-purpose", "sslclient", app));
    fails(
        openssl("verify", "-CAfile", ca, "-purpose", "sslserver", app),
        "unsuitable certificate purpose");
    ok(
        openssl(
            "verify",
            "-CAfile",
            ca,
            "-purpose",
            "sslserver",
            "-verify_hostname",
            "web",
            r.certs().get("web").certPath().toString()));
  }

  @Test
  void aLeafFromAnotherRunsCaFails() {
    PkiResult first = pki.issue("issue: {db: {}}", dir.resolve("a"));
    PkiResult second = pki.issue("issue: {db: {}}", dir.resolve("b"));
    fails(
        openssl(
            "verify",
            "-CAfile",
            first.caCertPath().toString(),
            second.certs().get("db").certPath().toString()),
        "unable to get local issuer certificate");
  }

  @Test
  void nameConstraintsStopACertificateForAnyOtherName() throws Exception {
    PkiResult r =
        pki.issue(
            """
            ca: {name_constraints: true}
            issue:
              db: {dns: [db.test, localhost], ip: [127.0.0.1]}
            """,
            dir);
    String ca = r.caCertPath().toString();
    ok(openssl("verify", "-CAfile", ca, r.certs().get("db").certPath().toString()));
    // Subdomains of a permitted name pass (RFC 5280 dNSName semantics); other names do not.
    ok(openssl("verify", "-CAfile", ca, PkiFixture.rogue(r, "x.db.test").toString()));
    for (String other : List.of("evil.test", "db.test.evil", "localhost.evil")) {
      fails(
          openssl("verify", "-CAfile", ca, PkiFixture.rogue(r, other).toString()),
          "permitted subtree violation");
    }
  }

  @Test
  void opensslReadsTheStoresAndTheJdkIgnoresAnOpensslTruststore() throws Exception {
    PkiResult r = pki.issue("issue: {db: {pk8: true}}", dir);
    IssuedCert db = r.certs().get("db");
    // Passwords via the environment, never on a command line.
    Exec exec =
        new Exec()
            .env("KS_PASS", pki.secrets.get("password.certs.db.keystore"))
            .env("TS_PASS", pki.secrets.get("password.certs.db.truststore"));
    Exec.Result ks =
        openssl(
            exec,
            "pkcs12",
            "-in",
            db.keystorePath().toString(),
            "-passin",
            "env:KS_PASS",
            "-nodes");
    ok(ks);
    assertTrue(ks.stdout().contains("friendlyName: db"), ks.stdout());
    assertTrue(ks.stdout().contains("BEGIN PRIVATE KEY"), ks.stdout());
    Exec.Result ts =
        openssl(
            exec,
            "pkcs12",
            "-in",
            db.truststorePath().toString(),
            "-passin",
            "env:TS_PASS",
            "-nokeys");
    ok(ts);
    // The JDK's trusted-key-usage attribute (anyExtendedKeyUsage) marks the trusted entry.
    assertTrue(ts.stdout().contains("2.16.840.1.113894.746875.1.1"), ts.stdout());
    assertTrue(ts.stdout().contains(Files.readString(r.caCertPath()).strip()), ts.stdout());
    Exec.Result info =
        openssl(
            exec,
            "pkcs12",
            "-info",
            "-noout",
            "-in",
            db.keystorePath().toString(),
            "-passin",
            "env:KS_PASS");
    ok(info);
    String params = info.stdout() + info.stderr();
    assertTrue(params.contains("MAC: sha256, Iteration 2048"), params);
    assertTrue(
        params.contains(
            "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"),
        params);
    // Certificates are public: stored unencrypted ("PKCS7 Data", not "PKCS7 Encrypted data").
    assertFalse(params.contains("Encrypted data"), params);
    // DER PKCS#8 for pgjdbc: OpenSSL reads it as DER.
    ok(openssl("pkey", "-inform", "DER", "-in", db.pk8Path().toString(), "-noout"));

    // What `openssl pkcs12 -export -nokeys` makes holds no trusted entry for the JDK.
    Path sslStore = dir.resolve("openssl-truststore.p12");
    ok(
        openssl(
            exec,
            "pkcs12",
            "-export",
            "-nokeys",
            "-in",
            r.caCertPath().toString(),
            "-out",
            sslStore.toString(),
            "-passout",
            "env:TS_PASS"));
    KeyStore jdk = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(sslStore)) {
      jdk.load(in, pki.secrets.get("password.certs.db.truststore").toCharArray());
    }
    assertEquals(0, jdk.size(), "the JDK sees openssl's certificate-only store as empty");
  }
}

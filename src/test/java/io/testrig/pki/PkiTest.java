package io.testrig.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.rig.CertsSpec;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PkiTest {
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;
  final PkiFixture pki = new PkiFixture();

  @Test
  void caIsAnEcdsaP256RootThatMaySignLeavesOnly() throws Exception {
    PkiResult r = pki.issue("issue: {db: {}}", dir);
    X509Certificate ca = PkiFixture.parse(dir.resolve("certs/ca.crt"));
    assertEquals(r.caCert(), ca);
    assertEquals("CN=testrig throw-away CA", ca.getSubjectX500Principal().getName());
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    ca.verify(ca.getPublicKey());
    assertEquals("SHA256withECDSA", ca.getSigAlgName());
    ECPublicKey key = (ECPublicKey) ca.getPublicKey();
    assertTrue(key.getParams().toString().contains("secp256r1"), key.getParams().toString());
    assertEquals(0, ca.getBasicConstraints(), "CA:true, pathlen 0");
    assertTrue(ca.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
    boolean[] ku = ca.getKeyUsage();
    // keyCertSign (5) and cRLSign (6) only.
    for (int i = 0; i < ku.length; i++) {
      assertEquals(i == 5 || i == 6, ku[i], "keyUsage bit " + i);
    }
    byte[] ski = ski(ca);
    assertEquals(20, ski.length);
    assertArrayEquals(ski, aki(ca));
    assertNull(ca.getExtensionValue(Extension.nameConstraints.getId()), "off by default");
    Duration validity =
        Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
    assertEquals(Duration.ofDays(30), validity);
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 3072, 4096})
  void rsaCaOfEachSize(int bits) throws Exception {
    PkiResult r =
        pki.issue(
            "ca: {key: rsa-" + bits + ", common_name: Dev CA}\nissue: {db: {key: rsa-2048}}", dir);
    X509Certificate ca = r.caCert();
    assertEquals(bits, ((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength());
    assertEquals("SHA256withRSA", ca.getSigAlgName());
    assertEquals("CN=Dev CA", ca.getSubjectX500Principal().getName());
    X509Certificate leaf = r.certs().get("db").certificate();
    assertEquals("SHA256withRSA", leaf.getSigAlgName());
    // RSA leaves may encipher keys (TLS 1.2 RSA key exchange): digitalSignature + keyEncipherment.
    assertArrayEquals(
        new boolean[] {true, false, true, false, false, false, false, false, false},
        leaf.getKeyUsage());
  }

  @Test
  void leafHasTheSansUsagesAndExtensionsClientsCheck() throws Exception {
    PkiResult r =
        pki.issue(
            """
            ca: {validity_days: 800}
            issue:
              db: {dns: [db, localhost], ip: [127.0.0.1, "::1"], usage: [server, client]}
              app: {usage: [client], common_name: app_user}
            """,
            dir);
    X509Certificate db = PkiFixture.parse(dir.resolve("certs/db.crt"));
    assertEquals(r.certs().get("db").certificate(), db);
    db.verify(r.caCert().getPublicKey());
    assertEquals(r.caCert().getSubjectX500Principal(), db.getIssuerX500Principal());
    assertEquals("CN=db", db.getSubjectX500Principal().getName(), "CN defaults to the first DNS");
    assertEquals(
        List.of(
            List.of(2, "db"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1")),
        sans(db));
    assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), db.getExtendedKeyUsage());
    assertEquals(-1, db.getBasicConstraints());
    assertTrue(db.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
    // EC leaf: digitalSignature only.
    assertArrayEquals(
        new boolean[] {true, false, false, false, false, false, false, false, false},
        db.getKeyUsage());
    assertArrayEquals(ski(r.caCert()), aki(db));
    assertNotNull(ski(db));

    X509Certificate app = r.certs().get("app").certificate();
    assertEquals(List.of(List.of(2, "app")), sans(app), "DNS defaults to the entry name");
    assertEquals(List.of(CLIENT_AUTH), app.getExtendedKeyUsage());
    assertEquals("CN=app_user", app.getSubjectX500Principal().getName());

    X509Certificate web = pki.issue("issue: {web: {}}", dir).certs().get("web").certificate();
    assertEquals(List.of(SERVER_AUTH), web.getExtendedKeyUsage(), "server by default");
  }

  @Test
  void serialsAre128RandomPositiveBits() throws Exception {
    Set<BigInteger> seen = new HashSet<>();
    int longest = 0;
    Issuer issuer = new Issuer(new java.security.SecureRandom(), Instant.now());
    for (int i = 0; i < 200; i++) {
      BigInteger s = issuer.serial();
      assertTrue(s.signum() > 0);
      assertTrue(s.bitLength() <= 128);
      assertTrue(s.toByteArray().length <= 20, "RFC 5280: at most 20 octets");
      longest = Math.max(longest, s.bitLength());
      seen.add(s);
    }
    assertEquals(200, seen.size());
    // 200 draws all below 2^124 would happen with probability 2^-800: 128 bits are really used.
    assertTrue(longest >= 125, "longest serial " + longest + " bits");
    PkiResult r = pki.issue("issue: {a: {}, b: {}}", dir);
    assertFalse(
        r.certs()
            .get("a")
            .certificate()
            .getSerialNumber()
            .equals(r.certs().get("b").certificate().getSerialNumber()));
  }

  @Test
  void validityIs397DaysFromABackdatedStartAndConfigurable() throws Exception {
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    PkiResult r =
        pki.issue(
            PkiFixture.spec(
                "ca: {validity_days: 3650}\nissue: {web: {}, short: {validity_days: 7}}"),
            dir,
            now);
    X509Certificate web = r.certs().get("web").certificate();
    assertEquals(now.minus(Duration.ofHours(1)), web.getNotBefore().toInstant());
    // The whole period, backdating included, is 397 days (Apple's limit).
    assertEquals(
        Duration.ofDays(397),
        Duration.between(web.getNotBefore().toInstant(), web.getNotAfter().toInstant()));
    X509Certificate shortLived = r.certs().get("short").certificate();
    assertEquals(
        Duration.ofDays(7),
        Duration.between(
            shortLived.getNotBefore().toInstant(), shortLived.getNotAfter().toInstant()));
    web.checkValidity(java.util.Date.from(now));
  }

  @Test
  void aLeafNeverOutlivesItsCa() throws Exception {
    PkiResult r = pki.issue("ca: {validity_days: 30}\nissue: {web: {}}", dir);
    assertEquals(r.caCert().getNotAfter(), r.certs().get("web").certificate().getNotAfter());
  }

  @Test
  void nameConstraintsPermitExactlyTheIssuedNames() throws Exception {
    PkiResult r =
        pki.issue(
            """
            ca: {name_constraints: true}
            issue:
              db: {dns: [db, localhost], ip: [127.0.0.1]}
              api: {dns: ["*.api.test"]}
            """,
            dir);
    X509Certificate ca = r.caCert();
    assertTrue(ca.getCriticalExtensionOIDs().contains(Extension.nameConstraints.getId()));
    NameConstraints nc = nameConstraints(ca);
    assertEquals(
        List.of(
            List.of(2, "db"),
            List.of(2, "localhost"),
            List.of(2, "api.test"),
            List.of(7, "#7f000001ffffffff")),
        names(nc.getPermittedSubtrees()));
    assertNull(nc.getExcludedSubtrees());
    for (IssuedCert c : r.certs().values()) {
      validate(ca, c.certificate());
    }
    // That a leaf for any other name fails: PkiOpensslTest (the JDK cannot check it, see validate).
  }

  @Test
  void withoutIpsNameConstraintsExcludeEveryAddress() throws Exception {
    PkiResult r = pki.issue("ca: {name_constraints: true}\nissue: {db: {}}", dir);
    NameConstraints nc = nameConstraints(r.caCert());
    assertEquals(List.of(List.of(2, "db")), names(nc.getPermittedSubtrees()));
    assertEquals(
        List.of(List.of(7, "#0000000000000000"), List.of(7, "#" + "00".repeat(32))),
        names(nc.getExcludedSubtrees()));
  }

  @Test
  void writesPemKeysAndStoresWithTheirModes() throws Exception {
    PkiResult r = pki.issue("issue: {db: {pk8: true}, web: {}}", dir);
    Path certs = dir.resolve("certs");
    assertEquals("rw-r--r--", mode(certs.resolve("ca.crt")));
    assertEquals("r--------", mode(certs.resolve("ca.key")));
    assertEquals("rw-r--r--", mode(certs.resolve("db.crt")));
    assertEquals("rw-r--r--", mode(certs.resolve("db.chain.pem")));
    assertEquals("rw-------", mode(certs.resolve("db.key")));
    assertEquals("rw-------", mode(certs.resolve("db.pk8")));
    assertEquals("rw-------", mode(certs.resolve("db.p12")));
    assertEquals("rw-r--r--", mode(certs.resolve("db.truststore.p12")));
    assertFalse(Files.exists(certs.resolve("web.pk8")), "pk8 only when asked");
    assertNull(r.certs().get("web").pk8Path());
    try (var files = Files.list(certs)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    IssuedCert db = r.certs().get("db");
    assertEquals(List.of(db.certificate(), r.caCert()), PkiFixture.all(db.chainPath()));
    String keyPem = Files.readString(db.keyPath(), StandardCharsets.US_ASCII);
    assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8 PEM");
    PrivateKey key = Pem.parsePrivateKey(Pem.decode(keyPem, "PRIVATE KEY"), "EC");
    assertTrue(Issuer.matches(key, db.certificate().getPublicKey(), KeyType.ECDSA_P256));
    assertArrayEquals(key.getEncoded(), Files.readAllBytes(db.pk8Path()), "DER PKCS#8");
    PrivateKey caKey =
        Pem.parsePrivateKey(
            Pem.decode(Files.readString(certs.resolve("ca.key")), "PRIVATE KEY"), "EC");
    assertTrue(Issuer.matches(caKey, r.caCert().getPublicKey(), KeyType.ECDSA_P256));
  }

  @Test
  void pkcs12StoresOpenWithTheGeneratedPasswords() throws Exception {
    PkiResult r = pki.issue("issue: {db: {}}", dir);
    IssuedCert db = r.certs().get("db");
    char[] ksPass = pki.secrets.get("password.certs.db.keystore").toCharArray();
    char[] tsPass = pki.secrets.get("password.certs.db.truststore").toCharArray();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(db.keystorePath())) {
      ks.load(in, ksPass);
    }
    assertEquals(List.of("db"), java.util.Collections.list(ks.aliases()));
    assertTrue(ks.isKeyEntry("db"));
    assertEquals(List.of(db.certificate(), r.caCert()), List.of(ks.getCertificateChain("db")));
    PrivateKey key = (PrivateKey) ks.getKey("db", ksPass);
    assertTrue(Issuer.matches(key, db.certificate().getPublicKey(), KeyType.ECDSA_P256));

    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(db.truststorePath())) {
      ts.load(in, tsPass);
    }
    assertEquals(List.of("ca"), java.util.Collections.list(ts.aliases()));
    assertTrue(ts.isCertificateEntry("ca"), "a trusted-certificate entry");
    assertEquals(r.caCert(), ts.getCertificate("ca"));
    // The JDK's default trust manager, fed this truststore, accepts the server chain.
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ts);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    tm.checkServerTrusted(new X509Certificate[] {db.certificate(), r.caCert()}, "ECDHE_ECDSA");
  }

  @Test
  void templateContextHasPathsPemsAndThePasswordSecrets() throws Exception {
    PkiResult r = pki.issue("issue: {db: {pk8: true}, web: {}}", dir);
    Path certs = dir.resolve("certs");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, String>> ctx =
        (Map<String, Map<String, String>>) r.templateContext().get("certs");
    assertEquals(Set.of("db", "web", "ca"), ctx.keySet());
    Map<String, String> db = ctx.get("db");
    assertEquals(certs.resolve("db.crt").toString(), db.get("cert_path"));
    assertEquals(certs.resolve("db.chain.pem").toString(), db.get("chain_path"));
    assertEquals(certs.resolve("db.key").toString(), db.get("key_path"));
    assertEquals(certs.resolve("db.pk8").toString(), db.get("pk8_path"));
    assertEquals(certs.resolve("db.p12").toString(), db.get("keystore_path"));
    assertEquals(certs.resolve("db.truststore.p12").toString(), db.get("truststore_path"));
    assertEquals(pki.secrets.get("password.certs.db.keystore"), db.get("keystore_password"));
    assertEquals(pki.secrets.get("password.certs.db.truststore"), db.get("truststore_password"));
    assertEquals(Files.readString(certs.resolve("db.crt")), db.get("cert_pem"));
    assertEquals(Files.readString(certs.resolve("db.chain.pem")), db.get("chain_pem"));
    assertFalse(ctx.get("web").containsKey("pk8_path"));
    assertEquals(
        Map.of(
            "cert_path", certs.resolve("ca.crt").toString(),
            "cert_pem", Files.readString(certs.resolve("ca.crt"))),
        ctx.get("ca"));
    assertEquals(
        Set.of(
            "password.certs.db.keystore",
            "password.certs.db.truststore",
            "password.certs.web.keystore",
            "password.certs.web.truststore"),
        pki.secrets.keySet());
    assertFalse(r.toString().contains(db.get("keystore_password")));
  }

  /**
   * One set of certificate rules (issue 9, item 6): the rig loader names file and line, and the
   * PKI, handed a spec that never went through the loader, refuses it with the same rule's words
   * before it makes a key or a file.
   */
  @Test
  void badInputNamesTheKeyAndLeavesNothingBehind() {
    Map<String, String> cases =
        Map.of(
            "issue: {db: {dns: ['bad name']}}",
            "certs.issue.db.dns[0]: 'bad name' is not a DNS name (letters, digits, - and _)",
            "issue: {db: {dns: [ok, '-x.test']}}",
            "certs.issue.db.dns[1]: '-x.test' is not a DNS name (letters, digits, - and _)",
            "issue: {db: {ip: [1.2.3.999]}}",
            "certs.issue.db.ip[0]: '1.2.3.999' is not an IP address",
            "issue: {db: {common_name: '" + "x".repeat(65) + "'}}",
            "certs.issue.db.common_name: must be 1 to 64 characters");
    cases.forEach(
        (yaml, message) -> {
          TestrigException loaded =
              assertThrows(TestrigException.class, () -> PkiFixture.spec(yaml), yaml);
          assertEquals(ExitCode.BAD_INPUT, loaded.exitCode());
          assertEquals("testrig.yml:2: " + message, loaded.getMessage());
          CertsSpec unchecked = PkiFixture.unchecked(yaml);
          TestrigException e =
              assertThrows(
                  TestrigException.class,
                  () -> pki.issue(unchecked, dir, java.time.Instant.now()),
                  yaml);
          assertEquals(ExitCode.BAD_INPUT, e.exitCode());
          assertEquals(message, e.getMessage());
          assertFalse(Files.exists(dir.resolve("certs")), yaml);
          assertEquals(
              message,
              assertThrows(TestrigException.class, () -> Pki.check(unchecked)).getMessage());
        });
    assertTrue(pki.secrets.isEmpty(), "no secret generated for bad input");
  }

  @Test
  void theRigLoaderRejectsWhatTypesCannot() {
    // These never reach Pki: the rig validator names file, line and key.
    assertEquals(
        "testrig.yml:3: certs.issue.ca: the name 'ca' is reserved for the CA in templates",
        assertThrows(TestrigException.class, () -> PkiFixture.spec("issue:\n  ca: {}"))
            .getMessage());
    assertTrue(
        assertThrows(TestrigException.class, () -> PkiFixture.spec("ca: {key: dsa}"))
            .getMessage()
            .contains("certs.ca.key: must be one of"));
    assertTrue(
        assertThrows(TestrigException.class, () -> PkiFixture.spec("issue: {db: {usage: [email]}}"))
            .getMessage()
            .contains("certs.issue.db.usage[0]: must be server or client"));
  }

  @Test
  void reissuingOverwritesTheFilesWithANewCa() throws Exception {
    PkiResult first = pki.issue("issue: {db: {}}", dir);
    PkiResult second = pki.issue("issue: {db: {}}", dir);
    assertFalse(first.caCert().equals(second.caCert()), "ephemeral: a new CA per call");
    assertEquals(second.caCert(), PkiFixture.parse(dir.resolve("certs/ca.crt")));
    assertEquals("r--------", mode(dir.resolve("certs/ca.key")));
  }

  // --- helpers

  /**
   * PKIX validation by the JDK. The JDK ignores a trust anchor's name constraints (RFC 5280 6.1.1
   * makes them optional, and its PKIX rejects them with "name constraints in trust anchor not
   * supported"); OpenSSL enforces them, see PkiOpensslTest.
   */
  static void validate(X509Certificate ca, X509Certificate leaf) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static List<List<?>> sans(X509Certificate c) throws Exception {
    List<List<?>> out = new ArrayList<>();
    for (List<?> san : c.getSubjectAlternativeNames()) {
      Object v = san.get(1);
      out.add(List.of(san.get(0), v instanceof String s && s.contains(":") ? norm(s) : v));
    }
    return out;
  }

  private static String norm(String ip) throws Exception {
    return InetAddress.getByName(ip).getHostAddress();
  }

  static byte[] ski(X509Certificate c) {
    return SubjectKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(c.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .getOctets())
        .getKeyIdentifier();
  }

  static byte[] aki(X509Certificate c) {
    AuthorityKeyIdentifier aki =
        AuthorityKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(
                    c.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets());
    assertNull(aki.getAuthorityCertIssuer(), "key identifier only");
    return aki.getKeyIdentifier();
  }

  static NameConstraints nameConstraints(X509Certificate ca) {
    return NameConstraints.getInstance(
        ASN1OctetString.getInstance(ca.getExtensionValue(Extension.nameConstraints.getId()))
            .getOctets());
  }

  static List<List<?>> names(GeneralSubtree[] subtrees) {
    List<List<?>> out = new ArrayList<>();
    for (GeneralSubtree s : subtrees) {
      GeneralName n = s.getBase();
      out.add(List.of(n.getTagNo(), n.getName().toString()));
    }
    return out;
  }
}

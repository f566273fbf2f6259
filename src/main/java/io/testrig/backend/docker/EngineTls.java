package io.testrig.backend.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The TLS context for an engine behind DOCKER_TLS_VERIFY: DOCKER_CERT_PATH's {@code ca.pem} is the
 * only trusted CA, {@code cert.pem} and {@code key.pem} are the client's identity, the layout the
 * docker CLI reads and docker:dind writes to {@code /certs/client}
 * (https://docs.docker.com/engine/security/protect-access/#use-tls-https-to-protect-the-docker-daemon-socket).
 */
final class EngineTls {
  /** What DOCKER_CERT_PATH must hold. */
  static final List<String> CERT_FILES = List.of("ca.pem", "cert.pem", "key.pem");

  private static final char[] NO_PASSWORD = new char[0];

  private EngineTls() {}

  /**
   * Refuses a cert path that lacks any of the three files instead of falling back to plain HTTP
   * (which the engine's TLS port answers with a 400), as the docker CLI refuses.
   */
  static void requireCerts(Path certPath) {
    for (String name : CERT_FILES) {
      if (!Files.isRegularFile(certPath.resolve(name))) {
        throw new IllegalStateException(
            "DOCKER_TLS_VERIFY is set but " + certPath.resolve(name) + " does not exist");
      }
    }
  }

  static SSLContext context(Path certPath) throws IOException, GeneralSecurityException {
    requireCerts(certPath);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (Certificate ca : certificates(x509, certPath.resolve("ca.pem"))) {
      trust.setCertificateEntry("ca-" + i++, ca);
    }
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    Collection<? extends Certificate> chain = certificates(x509, certPath.resolve("cert.pem"));
    identity.setKeyEntry(
        "client",
        privateKey(certPath.resolve("key.pem")),
        NO_PASSWORD,
        chain.toArray(new Certificate[0]));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(identity, NO_PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static Collection<? extends Certificate> certificates(CertificateFactory x509, Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs = x509.generateCertificates(in);
      if (certs.isEmpty()) {
        throw new GeneralSecurityException(pem + " holds no certificate");
      }
      return certs;
    }
  }

  /** key.pem as PKCS#1 ("RSA PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY"). */
  static PrivateKey privateKey(Path pem) throws IOException {
    try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    }
    throw new IOException(pem + " holds no unencrypted private key");
  }
}

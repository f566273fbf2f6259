package io.testrig.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * PKCS12 stores for JVM clients, built with the JDK's own KeyStore API. The truststore holds the CA
 * as a trusted-certificate entry: the JDK marks it with Oracle's trusted-key-usage bag attribute
 * (OID 2.16.840.1.113894.746875.1.1), and its PKCS12 loader takes only certificates carrying that
 * attribute as trusted entries. A store made by {@code openssl pkcs12 -export -nokeys} lacks it, so
 * the JDK sees that store as empty (KeyStoresTest proves both).
 */
final class KeyStores {
  static final String KEY_ALIAS_CA = "ca";

  /**
   * PBKDF2 iterations for the key, the certificates and the MAC: OpenSSL's default for {@code
   * openssl pkcs12 -export} (PKCS12_DEFAULT_ITER), instead of the JDK's 10000. Stretching protects
   * guessable passwords; these are long random secrets, and the same key lies unencrypted in {@code
   * <name>.key} next to the store with the same file mode, so more iterations protect nothing. They
   * did cost most of the time of issuing certificates (bench/certs.sh: 5 PBKDF2 runs per leaf, slow
   * before the JIT warms up).
   */
  static final int ITERATIONS = 2048;

  /**
   * Certificates in the stores are not encrypted ({@code NONE}, as {@code openssl pkcs12 -certpbe
   * NONE}): they are public (the same certificates lie in 0644 PEM files beside the stores), and
   * encrypting them cost two of the five password-based key derivations per leaf. The private key
   * stays PBES2-encrypted (PBKDF2-HMAC-SHA256, AES-256) and the store keeps its password MAC, so
   * the password still guards the key and the store's integrity. The JDK's PKCS12 loader and
   * OpenSSL read such stores (PkiTest, PkiOpensslTest, PostgresTlsIT).
   */
  static final String CERT_PROTECTION = "NONE";

  private static final String CERT_PROTECTION_PROPERTY = "keystore.pkcs12.certProtectionAlgorithm";

  private static final String[] ITERATION_PROPERTIES = {
    "keystore.pkcs12.keyPbeIterationCount",
    "keystore.pkcs12.certPbeIterationCount",
    "keystore.pkcs12.macIterationCount"
  };

  static {
    // The JDK's PKCS12 KeyStore reads these when it creates a store; a system property supersedes
    // the security property ($JAVA_HOME/conf/security/java.security, "PKCS12 KeyStore
    // properties"). They are process-wide, so set only what the user has not set; testrig itself
    // writes no other PKCS12 files.
    for (String p : ITERATION_PROPERTIES) {
      if (System.getProperty(p) == null && java.security.Security.getProperty(p) == null) {
        System.setProperty(p, Integer.toString(ITERATIONS));
      }
    }
    if (System.getProperty(CERT_PROTECTION_PROPERTY) == null
        && java.security.Security.getProperty(CERT_PROTECTION_PROPERTY) == null) {
      System.setProperty(CERT_PROTECTION_PROPERTY, CERT_PROTECTION);
    }
  }

  private KeyStores() {}

  /** A keystore with one private-key entry, alias {@code alias}: the leaf's key and its chain. */
  static byte[] keystore(
      String alias, PrivateKey key, X509Certificate leaf, X509Certificate ca, char[] password) {
    try {
      KeyStore ks = empty();
      ks.setKeyEntry(alias, key, password, new Certificate[] {leaf, ca});
      return store(ks, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the PKCS12 keystore for " + alias, e);
    }
  }

  /** A truststore with the CA as its one trusted-certificate entry, alias {@code ca}. */
  static byte[] truststore(X509Certificate ca, char[] password) {
    try {
      KeyStore ks = empty();
      ks.setCertificateEntry(KEY_ALIAS_CA, ca);
      return store(ks, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the PKCS12 truststore", e);
    }
  }

  private static KeyStore empty() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }

  private static byte[] store(KeyStore ks, char[] password)
      throws GeneralSecurityException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    ks.store(out, password);
    return out.toByteArray();
  }
}

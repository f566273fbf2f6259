package io.testrig.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM (RFC 7468) encoding of certificates and PKCS#8 private keys, done by hand: tiny and fast. */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Pem() {}

  static String certificate(X509Certificate cert) {
    try {
      return block("CERTIFICATE", cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate testrig made", e);
    }
  }

  /** Unencrypted PKCS#8 in a PEM block, which OpenSSL, libpq and the JDK all read. */
  static String privateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  static String block(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The DER bytes of the first block labelled {@code label}, or null when there is none. */
  static byte[] decode(String text, String label) {
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        return Base64.getMimeDecoder().decode(m.group(2).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return null;
  }

  /** Reads a PKCS#8 private key of the given JCA algorithm (EC or RSA). */
  static PrivateKey parsePrivateKey(byte[] der, String algorithm) throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}

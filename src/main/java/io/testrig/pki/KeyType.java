package io.testrig.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/** The key types a rig file may ask for ({@code certs.ca.key}, {@code certs.issue.<n>.key}). */
enum KeyType {
  ECDSA_P256("ecdsa-p256", "EC", 256, "SHA256withECDSA"),
  RSA_2048("rsa-2048", "RSA", 2048, "SHA256withRSA"),
  RSA_3072("rsa-3072", "RSA", 3072, "SHA256withRSA"),
  RSA_4096("rsa-4096", "RSA", 4096, "SHA256withRSA");

  final String id;
  final String algorithm;
  final int bits;

  /** The signature algorithm a CA with this key signs with (SHA-256 for every type). */
  final String signatureAlgorithm;

  KeyType(String id, String algorithm, int bits, String signatureAlgorithm) {
    this.id = id;
    this.algorithm = algorithm;
    this.bits = bits;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  static KeyType of(String id, String keyPath) {
    return Arrays.stream(values())
        .filter(k -> k.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                io.testrig.core.TestrigException.badInput(
                    keyPath + ": unknown key type '" + id + "'"));
  }

  /** The type of an existing public key (a cached CA's), or null when testrig cannot make it. */
  static KeyType of(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      return Arrays.stream(values())
          .filter(k -> k.algorithm.equals("RSA") && k.bits == bits)
          .findFirst()
          .orElse(null);
    }
    if (key instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() == 256) {
      return ECDSA_P256;
    }
    return null;
  }

  boolean isRsa() {
    return algorithm.equals("RSA");
  }

  KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (isRsa()) {
        g.initialize(bits, random);
      } else {
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + id + " keys", e);
    }
  }
}

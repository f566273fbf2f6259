package io.testrig.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the CA and leaf certificates. The profile follows RFC 5280 and the CA/Browser Forum
 * baseline requirements where they matter to clients (https://cabforum.org/baseline-requirements/):
 * SHA-256 signatures, key identifiers, critical basicConstraints and keyUsage, names only in the
 * subjectAltName.
 */
final class Issuer {
  /**
   * notBefore lies this far in the past. A certificate valid only "from now" fails with "not yet
   * valid" on a peer whose clock runs a little behind (containers, VMs and CI runners drift by
   * seconds to minutes); Let's Encrypt backdates by one hour for the same reason
   * (https://github.com/letsencrypt/boulder, ca "backdate" setting).
   */
  static final Duration BACKDATE = Duration.ofHours(1);

  /** The CA, with the key type it was made with. */
  record Ca(X509Certificate cert, PrivateKey key, KeyType type) {}

  /** One leaf to issue, validated. */
  record LeafPlan(
      String name,
      List<String> dns,
      List<InetAddress> ips,
      boolean server,
      boolean client,
      String commonName,
      KeyType keyType,
      int validityDays,
      boolean pk8) {}

  /** An issued leaf and its key. */
  record Leaf(LeafPlan plan, X509Certificate cert, PrivateKey key) {}

  private final SecureRandom random;
  private final Instant now;

  Issuer(SecureRandom random, Instant now) {
    this.random = random;
    this.now = now;
  }

  /**
   * A self-signed CA that may sign leaves but no further CA (pathlen 0). With {@code constrain},
   * its name constraints permit exactly the DNS names and IPs of {@code leaves} (RFC 5280
   * 4.2.1.10), so a leaked CA key cannot vouch for any other site.
   */
  Ca newCa(
      KeyType type, String commonName, int validityDays, boolean constrain, List<LeafPlan> leaves) {
    KeyPair kp = type.generate(random);
    Instant notBefore = now.minus(BACKDATE);
    X500Name subject = name(commonName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              time(notBefore),
              time(notBefore.plus(Duration.ofDays(validityDays))),
              subject,
              kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(kp.getPublic()));
      if (constrain) {
        b.addExtension(Extension.nameConstraints, true, nameConstraints(leaves));
      }
      return new Ca(sign(b, kp.getPrivate(), type), kp.getPrivate(), type);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /**
   * A leaf signed by {@code ca}. It never outlives its CA: notAfter is the earlier of notBefore +
   * validity_days and the CA's notAfter. The whole validity period, backdating included, stays
   * within validity_days, so the default 397 days meets Apple's limit for TLS server certificates
   * (https://support.apple.com/en-us/102028).
   */
  Leaf issue(Ca ca, LeafPlan plan) {
    return issue(ca, plan, plan.keyType().generate(random));
  }

  /** Like {@link #issue(Ca, LeafPlan)} with a key pair made beforehand (see Pki#run). */
  Leaf issue(Ca ca, LeafPlan plan, KeyPair kp) {
    Instant notBefore = now.minus(BACKDATE);
    Instant notAfter = notBefore.plus(Duration.ofDays(plan.validityDays()));
    Instant caNotAfter = ca.cert().getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
              serial(),
              time(notBefore),
              time(notAfter),
              name(plan.commonName()),
              kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      // keyEncipherment only for RSA: TLS 1.2 RSA key exchange encrypts with the key; an EC key
      // never does (RFC 8813 section 3).
      int usage =
          KeyUsage.digitalSignature | (plan.keyType().isRsa() ? KeyUsage.keyEncipherment : 0);
      b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (plan.server()) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (plan.client()) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      List<GeneralName> sans = new ArrayList<>();
      plan.dns().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
      plan.ips()
          .forEach(
              ip ->
                  sans.add(
                      new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress()))));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(ca.cert().getPublicKey()));
      return new Leaf(plan, sign(b, ca.key(), ca.type()), kp.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build certificate " + plan.name(), e);
    }
  }

  /**
   * Permitted subtrees: each DNS name (a dNSName constraint also admits its subdomains, RFC 5280
   * 4.2.1.10) and each IP as a single-address range. With no IPs at all, every IP is excluded
   * (0.0.0.0/0 and ::/0), as the CA/Browser Forum baseline requirements ask of technically
   * constrained CAs: an absent iPAddress constraint would permit every address.
   */
  static NameConstraints nameConstraints(List<LeafPlan> leaves) {
    Set<String> dns = new LinkedHashSet<>();
    Set<InetAddress> ips = new LinkedHashSet<>();
    for (LeafPlan l : leaves) {
      for (String d : l.dns()) {
        dns.add(d.startsWith("*.") ? d.substring(2) : d);
      }
      ips.addAll(l.ips());
    }
    List<GeneralSubtree> permitted = new ArrayList<>();
    dns.forEach(d -> permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, d))));
    ips.forEach(ip -> permitted.add(ipSubtree(ip.getAddress(), ip.getAddress().length * 8)));
    GeneralSubtree[] excluded = null;
    if (ips.isEmpty()) {
      excluded = new GeneralSubtree[] {ipSubtree(new byte[4], 0), ipSubtree(new byte[16], 0)};
    }
    return new NameConstraints(permitted.toArray(GeneralSubtree[]::new), excluded);
  }

  private static GeneralSubtree ipSubtree(byte[] address, int prefix) {
    byte[] value = new byte[address.length * 2];
    System.arraycopy(address, 0, value, 0, address.length);
    for (int i = 0; i < prefix; i++) {
      value[address.length + i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    return new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(value)));
  }

  /**
   * A certificate validity time, encoded by hand: UTCTime (YYMMDDHHMMSSZ) for the years 1950 to
   * 2049 and GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise, whole seconds in UTC, as RFC 5280 4.1.2.5
   * requires. BouncyCastle's {@code Time(Date)} does the same through a {@code SimpleDateFormat},
   * whose first use loads the JDK's locale data: a sixth of the time of a first {@code testrig
   * certs} (bench/certs.sh). Built from DER bytes, BouncyCastle checks only the characters.
   */
  static Time time(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = t.getYear();
    boolean utc = year >= 1950 && year <= 2049;
    StringBuilder sb = new StringBuilder(15);
    if (utc) {
      two(sb, year % 100);
    } else {
      if (year < 0 || year > 9999) {
        throw new IllegalArgumentException("certificate time out of range: " + instant);
      }
      two(sb, year / 100);
      two(sb, year % 100);
    }
    two(sb, t.getMonthValue());
    two(sb, t.getDayOfMonth());
    two(sb, t.getHour());
    two(sb, t.getMinute());
    two(sb, t.getSecond());
    sb.append('Z');
    byte[] der = new byte[2 + sb.length()];
    der[0] = (byte) (utc ? 0x17 : 0x18); // UTCTime, GeneralizedTime (X.690 universal tags)
    der[1] = (byte) sb.length();
    for (int i = 0; i < sb.length(); i++) {
      der[2 + i] = (byte) sb.charAt(i);
    }
    try {
      return Time.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + sb, e);
    }
  }

  private static void two(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  /**
   * 128 random bits, read as a positive number: RFC 5280 4.1.2.2 wants positive serials of at most
   * 20 octets, the baseline requirements at least 64 bits from a CSPRNG. Zero is re-drawn.
   */
  BigInteger serial() {
    byte[] bytes = new byte[16];
    BigInteger s;
    do {
      random.nextBytes(bytes);
      s = new BigInteger(1, bytes);
    } while (s.signum() == 0);
    return s;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, KeyType type)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(type.signatureAlgorithm).build(key)));
  }

  /** True when {@code key} signs what {@code pub} verifies: a cached CA's key matches its cert. */
  static boolean matches(PrivateKey key, PublicKey pub, KeyType type) {
    try {
      byte[] probe = "testrig key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature s = java.security.Signature.getInstance(type.signatureAlgorithm);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      java.security.Signature v = java.security.Signature.getInstance(type.signatureAlgorithm);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

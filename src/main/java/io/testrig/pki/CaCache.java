package io.testrig.pki;

import io.testrig.core.TestrigException;
import io.testrig.pki.Issuer.Ca;
import io.testrig.pki.Issuer.LeafPlan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;

/**
 * A CA kept across runs in a directory the user names ({@code certs.ca.cache} or {@code
 * --ca-cache}), so trust stores on a developer's machine keep matching. The directory holds {@code
 * ca.crt} (0644) and {@code ca.key} (0400) and is 0700. A cached CA is checked before use; each
 * problem is one line that names the file and how to recover.
 */
final class CaCache {
  static final String CERT = "ca.crt";
  static final String KEY = "ca.key";

  /** The CA, and whether it was made just now. */
  record Loaded(Ca ca, boolean created) {}

  private CaCache() {}

  static Loaded loadOrCreate(
      Path dir, KeyType wanted, Instant now, Iterable<LeafPlan> leaves, Supplier<Ca> create) {
    SecureFiles.directory(dir, PosixFilePermissions.fromString("rwx------"));
    // Two runs on one machine may start at once: only one of them creates the CA.
    try (FileChannel ch =
            FileChannel.open(
                dir.resolve(".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        FileLock lock = ch.lock()) {
      Path cert = dir.resolve(CERT);
      Path key = dir.resolve(KEY);
      boolean hasCert = Files.exists(cert);
      boolean hasKey = Files.exists(key);
      if (!hasCert && !hasKey) {
        Ca ca = create.get();
        SecureFiles.write(
            key,
            Pem.privateKey(ca.key()).getBytes(StandardCharsets.US_ASCII),
            SecureFiles.READ_ONLY);
        SecureFiles.write(
            cert,
            Pem.certificate(ca.cert()).getBytes(StandardCharsets.US_ASCII),
            SecureFiles.PUBLIC);
        return new Loaded(ca, true);
      }
      if (!hasCert || !hasKey) {
        throw bad(dir, "cached CA is incomplete, " + (hasCert ? KEY : CERT) + " is missing");
      }
      return new Loaded(load(dir, cert, key, wanted, now, leaves), false);
    } catch (IOException e) {
      throw TestrigException.io("cannot use the CA cache " + dir + ": " + e, e);
    }
  }

  private static Ca load(
      Path dir, Path certFile, Path keyFile, KeyType wanted, Instant now, Iterable<LeafPlan> leaves)
      throws IOException {
    X509Certificate cert = readCert(dir, certFile);
    checkCaValidity(dir, certFile, cert, now);
    KeyType type = KeyType.of(cert.getPublicKey());
    if (type != wanted) {
      throw bad(
          dir,
          "cached CA has a "
              + (type == null ? cert.getPublicKey().getAlgorithm() : type.id)
              + " key but certs.ca.key is "
              + wanted.id);
    }
    PrivateKey key = readKey(dir, keyFile, type);
    if (!Issuer.matches(key, cert.getPublicKey(), type)) {
      throw bad(dir, keyFile + " does not match " + certFile);
    }
    checkNameConstraints(dir, cert, leaves);
    return new Ca(cert, key, type);
  }

  private static X509Certificate readCert(Path dir, Path certFile) throws IOException {
    try {
      byte[] der = Pem.decode(Files.readString(certFile, StandardCharsets.US_ASCII), "CERTIFICATE");
      if (der == null) {
        throw bad(dir, certFile + " holds no PEM certificate");
      }
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw bad(dir, certFile + " is not a valid certificate (" + e.getMessage() + ")");
    }
  }

  /** A CA certificate, valid {@code now}. */
  private static void checkCaValidity(Path dir, Path certFile, X509Certificate cert, Instant now) {
    if (cert.getBasicConstraints() < 0) {
      throw bad(dir, certFile + " is not a CA certificate");
    }
    Instant notAfter = cert.getNotAfter().toInstant();
    if (!now.isBefore(notAfter)) {
      throw bad(dir, "cached CA expired on " + day(notAfter));
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      throw bad(
          dir,
          "cached CA is not valid before " + day(cert.getNotBefore().toInstant()) + " (clock?)");
    }
  }

  /** The cached key, after checking only its owner can read it. */
  private static PrivateKey readKey(Path dir, Path keyFile, KeyType type) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(keyFile);
    if (mode.stream()
        .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      throw TestrigException.badInput(
          keyFile
              + ": the cached CA key is readable by others (mode "
              + PosixFilePermissions.toString(mode)
              + "); run chmod 400 "
              + keyFile);
    }
    try {
      byte[] der = Pem.decode(Files.readString(keyFile, StandardCharsets.US_ASCII), "PRIVATE KEY");
      if (der == null) {
        throw bad(dir, keyFile + " holds no unencrypted PEM PKCS#8 key block");
      }
      return Pem.parsePrivateKey(der, type.algorithm);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw bad(dir, keyFile + " is not a valid " + type.id + " private key");
    }
  }

  /**
   * A CA made with name constraints for last week's names cannot vouch for today's new one; say
   * which name, instead of letting clients fail the handshake later.
   */
  private static void checkNameConstraints(
      Path dir, X509Certificate cert, Iterable<LeafPlan> leaves) {
    byte[] ext = cert.getExtensionValue(Extension.nameConstraints.getId());
    if (ext == null) {
      return;
    }
    NameConstraints nc = NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
    PKIXNameConstraintValidator v = new PKIXNameConstraintValidator();
    if (nc.getPermittedSubtrees() != null) {
      v.intersectPermittedSubtree(nc.getPermittedSubtrees());
    }
    if (nc.getExcludedSubtrees() != null) {
      for (var s : nc.getExcludedSubtrees()) {
        v.addExcludedSubtree(s);
      }
    }
    for (LeafPlan leaf : leaves) {
      for (String d : leaf.dns()) {
        check(dir, v, new GeneralName(GeneralName.dNSName, d), d, leaf.name());
      }
      for (InetAddress ip : leaf.ips()) {
        check(
            dir,
            v,
            new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())),
            ip.getHostAddress(),
            leaf.name());
      }
    }
  }

  private static void check(
      Path dir, PKIXNameConstraintValidator v, GeneralName name, String shown, String leaf) {
    try {
      v.checkPermitted(name);
      v.checkExcluded(name);
    } catch (NameConstraintValidatorException e) {
      throw bad(
          dir,
          "the cached CA's name constraints do not permit '"
              + shown
              + "' (certs.issue."
              + leaf
              + ")");
    }
  }

  private static TestrigException bad(Path dir, String what) {
    return TestrigException.badInput(
        "CA cache "
            + dir
            + ": "
            + what
            + "; delete "
            + dir
            + " to make a new CA (clients must then trust the new ca.crt)");
  }

  private static String day(Instant i) {
    return i.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}

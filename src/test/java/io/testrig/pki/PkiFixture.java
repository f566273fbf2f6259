package io.testrig.pki;

import io.testrig.rig.CertsSpec;
import io.testrig.rig.RigLoader;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Issues certificates from rig-file YAML, with an in-memory stand-in for the secret store. */
final class PkiFixture {
  final Map<String, String> secrets = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** Parses {@code yaml} (the {@code certs:} section's body, as in a rig file). */
  static CertsSpec spec(String yaml) {
    return new RigLoader().parse(Path.of("testrig.yml"), "certs:\n" + yaml.indent(2)).certs();
  }

  /**
   * The {@code certs:} section read by Jackson alone, without the rig loader's rules: a spec as a
   * caller other than the loader could hand to {@link Pki}.
   */
  static CertsSpec unchecked(String yaml) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper(
              new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
          .readValue(yaml, CertsSpec.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String secret(String path) {
    return secrets.computeIfAbsent(
        path,
        p -> {
          byte[] b = new byte[16];
          random.nextBytes(b);
          return HexFormat.of().formatHex(b);
        });
  }

  PkiResult issue(String yaml, Path dir) {
    return issue(spec(yaml), dir, Instant.now());
  }

  PkiResult issue(CertsSpec spec, Path dir, Instant now) {
    return new Pki(random, now).run(spec, dir, dir.resolve("certs"), this::secret);
  }

  /**
   * A leaf for {@code dns} signed with the run's ephemeral CA key, bypassing the name checks a rig
   * would get: what a leaked constrained CA key could make.
   */
  static Path rogue(PkiResult r, String dns) throws Exception {
    Path certs = r.caCertPath().getParent();
    java.security.PrivateKey key =
        Pem.parsePrivateKey(
            Pem.decode(Files.readString(certs.resolve("ca.key")), "PRIVATE KEY"), "EC");
    Issuer.LeafPlan plan =
        new Issuer.LeafPlan(
            "rogue", List.of(dns), List.of(), true, false, dns, KeyType.ECDSA_P256, 10, false);
    Issuer.Leaf leaf =
        new Issuer(new SecureRandom(), Instant.now())
            .issue(new Issuer.Ca(r.caCert(), key, KeyType.ECDSA_P256), plan);
    Path out = certs.resolve("rogue-" + dns + ".crt");
    Files.writeString(out, Pem.certificate(leaf.cert()));
    return out;
  }

  static X509Certificate parse(Path pemFile) throws Exception {
    return all(pemFile).get(0);
  }

  static List<X509Certificate> all(Path pemFile) throws Exception {
    Collection<? extends java.security.cert.Certificate> cs =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pemFile)));
    List<X509Certificate> out = new ArrayList<>();
    cs.forEach(c -> out.add((X509Certificate) c));
    return out;
  }
}

package io.testrig.pki;

import io.testrig.core.TestrigException;
import io.testrig.pki.Issuer.Ca;
import io.testrig.pki.Issuer.Leaf;
import io.testrig.pki.Issuer.LeafPlan;
import io.testrig.rig.CertRules;
import io.testrig.rig.CertsSpec;
import io.testrig.rig.CertsSpec.LeafSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The throw-away PKI: one CA and the rig's leaf certificates, written as PEM, PKCS#8 and PKCS12
 * files into the run's certs directory. Callers pass secrets in as a function so this service needs
 * no secret store to test; the CLI passes {@code SecretStore::secret}, which puts the keystore
 * passwords into config.json and into the redactor.
 */
public final class Pki {
  /** Secret paths of the store passwords; {@code %s} is the entry name. */
  public static final String KEYSTORE_SECRET = "password.certs.%s.keystore";

  public static final String TRUSTSTORE_SECRET = "password.certs.%s.truststore";

  private final SecureRandom random;
  private final Instant now;

  Pki(SecureRandom random, Instant now) {
    this.random = random;
    this.now = now;
  }

  /**
   * Issues the CA (or loads the cached one) and every leaf of {@code spec} into {@code certsDir}.
   *
   * @param rigDir the directory relative {@code certs.ca.cache} paths resolve against
   * @param secretByPath returns the secret at a path such as {@code password.certs.db.keystore},
   *     generating it on first use
   * @throws TestrigException exit 2 naming the key path for bad input or an unusable cached CA,
   *     exit 5 for file-system failures; files written by this call are removed again
   */
  public static PkiResult issue(
      CertsSpec spec, Path rigDir, Path certsDir, Function<String, String> secretByPath) {
    return new Pki(new SecureRandom(), Instant.now()).run(spec, rigDir, certsDir, secretByPath);
  }

  /**
   * Checks {@code spec} without side effects (no key, no file) by the rig's own certificate rules
   * ({@link CertRules}): the first error {@link #issue} would raise, naming its key path like
   * {@code certs.issue.db.dns[0]}.
   */
  public static void check(CertsSpec spec) {
    CertRules.requireValid(spec);
  }

  /** The leaves to issue, after the same rules the rig loader ran (a spec may come without it). */
  private static List<LeafPlan> plans(CertsSpec spec) {
    CertRules.requireValid(spec);
    KeyType caType = KeyType.of(spec.ca().key(), "certs.ca.key");
    List<LeafPlan> plans = new ArrayList<>();
    spec.issue().forEach((name, leaf) -> plans.add(plan(name, leaf, caType)));
    return plans;
  }

  PkiResult run(CertsSpec spec, Path rigDir, Path certsDir, Function<String, String> secretByPath) {
    List<LeafPlan> plans = plans(spec);
    KeyType caType = KeyType.of(spec.ca().key(), "certs.ca.key");
    Issuer issuer = new Issuer(random, now);
    java.util.function.Supplier<Ca> makeCa =
        () ->
            issuer.newCa(
                caType,
                spec.ca().commonName(),
                spec.ca().validityDays(),
                spec.ca().nameConstraints(),
                plans);
    // Leaf keys do not depend on the CA: make them on another core while this thread makes or
    // loads the CA (key generation is much of the work in a JVM that has just started).
    CompletableFuture<List<KeyPair>> leafKeys =
        CompletableFuture.supplyAsync(
            () -> plans.parallelStream().map(p -> p.keyType().generate(random)).toList());
    Path cacheDir = cacheDir(spec.ca().cache(), rigDir);
    Ca ca;
    boolean created;
    if (cacheDir == null) {
      ca = makeCa.get();
      created = true;
    } else {
      CaCache.Loaded loaded = CaCache.loadOrCreate(cacheDir, caType, now, plans, makeCa);
      ca = loaded.ca();
      created = loaded.created();
    }
    // Secrets first and on this thread: the store need not be thread-safe.
    Map<String, char[][]> passwords = new LinkedHashMap<>();
    for (LeafPlan p : plans) {
      passwords.put(
          p.name(),
          new char[][] {
            secretByPath.apply(KEYSTORE_SECRET.formatted(p.name())).toCharArray(),
            secretByPath.apply(TRUSTSTORE_SECRET.formatted(p.name())).toCharArray()
          });
    }
    // Leaves are independent: key generation, signing and the PKCS12 key derivations, which are
    // most of the work, run on every core.
    List<KeyPair> keys = leafKeys.join();
    List<Built> built =
        IntStream.range(0, plans.size())
            .parallel()
            .mapToObj(
                i -> {
                  LeafPlan p = plans.get(i);
                  Leaf leaf = issuer.issue(ca, p, keys.get(i));
                  char[][] pw = passwords.get(p.name());
                  return new Built(
                      leaf,
                      KeyStores.keystore(p.name(), leaf.key(), leaf.cert(), ca.cert(), pw[0]),
                      KeyStores.truststore(ca.cert(), pw[1]),
                      new String(pw[0]),
                      new String(pw[1]));
                })
            .toList();
    return new Outputs(certsDir).write(ca, cacheDir, created, built);
  }

  /** A leaf with its two PKCS12 stores, ready to write. */
  private record Built(
      Leaf leaf,
      byte[] keystore,
      byte[] truststore,
      String keystorePassword,
      String truststorePassword) {
    @Override
    public String toString() {
      return "Built[" + leaf.plan().name() + "]";
    }
  }

  /**
   * One {@code certs.issue} entry with its defaults filled in; {@link CertRules} has checked it, so
   * this only converts (issue 9, item 6: the rules are not repeated here).
   */
  static LeafPlan plan(String name, LeafSpec leaf, KeyType caType) {
    List<String> dns =
        List.copyOf(new LinkedHashSet<>(leaf.dns().isEmpty() ? List.of(name) : leaf.dns()));
    List<InetAddress> ips = new ArrayList<>();
    for (String ip : new LinkedHashSet<>(leaf.ip())) {
      ips.add(literal(ip));
    }
    String cn = leaf.commonName() == null ? dns.get(0) : leaf.commonName();
    KeyType type =
        leaf.key() == null ? caType : KeyType.of(leaf.key(), "certs.issue." + name + ".key");
    return new LeafPlan(
        name,
        dns,
        List.copyOf(new LinkedHashSet<>(ips)),
        leaf.usage().contains("server"),
        leaf.usage().contains("client"),
        cn,
        type,
        leaf.validityDays(),
        leaf.pk8());
  }

  /** An IP literal CertRules accepted; no DNS lookup happens for a literal. */
  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("CertRules accepted a non-literal IP address " + ip, e);
    }
  }

  /** {@code ~} and {@code ~/x} expand to the home directory; relative paths to the rig's. */
  static Path cacheDir(String cache, Path rigDir) {
    if (cache == null || cache.isBlank()) {
      return null;
    }
    String home = System.getProperty("user.home");
    String expanded =
        cache.equals("~") ? home : cache.startsWith("~/") ? home + cache.substring(1) : cache;
    return rigDir.resolve(expanded).toAbsolutePath().normalize();
  }

  /** Writes every file; on failure removes what this call wrote, so nothing half-made remains. */
  private static final class Outputs {
    private final Path dir;
    private final List<Path> written = new ArrayList<>();

    Outputs(Path dir) {
      this.dir = dir;
    }

    PkiResult write(Ca ca, Path cacheDir, boolean created, List<Built> leaves) {
      try {
        return writeAll(ca, cacheDir, created, leaves);
      } catch (RuntimeException e) {
        written.forEach(SecureFiles::deleteQuietly);
        throw e;
      }
    }

    private PkiResult writeAll(Ca ca, Path cacheDir, boolean created, List<Built> leaves) {
      // 0755: containers running as other users bind-mount this directory to read certificates
      // and truststores; the run directory above it is 0700, and every key file is 0600/0400.
      SecureFiles.directory(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      String caPem = Pem.certificate(ca.cert());
      Path caCert = put("ca.crt", caPem.getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC);
      if (cacheDir == null) {
        // The ephemeral CA's key lives only in the run directory and goes with `secrets wipe`.
        put(
            "ca.key",
            Pem.privateKey(ca.key()).getBytes(StandardCharsets.US_ASCII),
            SecureFiles.READ_ONLY);
      }
      Map<String, IssuedCert> certs = new LinkedHashMap<>();
      Map<String, Object> ctx = new LinkedHashMap<>();
      for (Built b : leaves) {
        Leaf leaf = b.leaf();
        String n = leaf.plan().name();
        String certPem = Pem.certificate(leaf.cert());
        String chainPem = certPem + caPem;
        Path cert = put(n + ".crt", bytes(certPem), SecureFiles.PUBLIC);
        Path chain = put(n + ".chain.pem", bytes(chainPem), SecureFiles.PUBLIC);
        Path key = put(n + ".key", bytes(Pem.privateKey(leaf.key())), SecureFiles.PRIVATE);
        Path pk8 =
            leaf.plan().pk8()
                ? put(n + ".pk8", leaf.key().getEncoded(), SecureFiles.PRIVATE)
                : null;
        Path ks = put(n + ".p12", b.keystore(), SecureFiles.PRIVATE);
        Path ts = put(n + ".truststore.p12", b.truststore(), SecureFiles.PUBLIC);
        certs.put(n, new IssuedCert(n, leaf.cert(), cert, chain, key, pk8, ks, ts));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cert_path", cert.toString());
        c.put("chain_path", chain.toString());
        c.put("key_path", key.toString());
        if (pk8 != null) {
          c.put("pk8_path", pk8.toString());
        }
        c.put("keystore_path", ks.toString());
        c.put("keystore_password", b.keystorePassword());
        c.put("truststore_path", ts.toString());
        c.put("truststore_password", b.truststorePassword());
        c.put("cert_pem", certPem);
        c.put("chain_pem", chainPem);
        ctx.put(n, java.util.Collections.unmodifiableMap(c));
      }
      ctx.put("ca", Map.of("cert_path", caCert.toString(), "cert_pem", caPem));
      return new PkiResult(
          ca.cert(),
          caCert,
          cacheDir,
          created,
          java.util.Collections.unmodifiableMap(certs),
          Map.of("certs", java.util.Collections.unmodifiableMap(ctx)));
    }

    private Path put(
        String file,
        byte[] content,
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) {
      Path p = dir.resolve(file);
      written.add(p);
      SecureFiles.write(p, content, mode);
      return p;
    }

    private static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
  }
}

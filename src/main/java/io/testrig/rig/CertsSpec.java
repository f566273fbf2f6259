package io.testrig.rig;

import java.util.List;
import java.util.Map;

/**
 * The {@code certs:} section: one throw-away CA and the leaf certificates it issues.
 *
 * @param ca the CA's settings
 * @param issue leaf certificates by name; the name is also the default DNS SAN and the key in
 *     templates ({@code {{ certs.<name>.cert_path }}})
 */
public record CertsSpec(CaSpec ca, Map<String, LeafSpec> issue) {
  public static final CertsSpec NONE = new CertsSpec(null, null);

  /**
   * The longest validity, CA or leaf, in days (100 years). X.509 times end in 9999 (RFC 5280
   * 4.1.2.5), and a throw-away PKI needs nothing near that.
   */
  public static final int MAX_VALIDITY_DAYS = 36_500;

  public CertsSpec {
    ca = ca == null ? CaSpec.DEFAULT : ca;
    issue = issue == null ? Map.of() : issue;
  }

  public boolean isEmpty() {
    return issue.isEmpty();
  }

  /** The same spec with the CA kept in {@code cache} (an absolute path: {@code --ca-cache}). */
  public CertsSpec withCaCache(String cache) {
    return new CertsSpec(
        new CaSpec(ca.key(), ca.commonName(), ca.validityDays(), ca.nameConstraints(), cache),
        issue);
  }

  /**
   * @param key {@code ecdsa-p256} (default), {@code rsa-2048}, {@code rsa-3072} or {@code rsa-4096}
   * @param commonName the CA's subject CN
   * @param validityDays default 30
   * @param nameConstraints restrict the CA to the names it issues (permitted DNS and IP subtrees)
   * @param cache a directory that keeps the CA across runs (explicit opt-in; relative to the rig
   *     file; {@code ~} expands to the home directory)
   */
  public record CaSpec(
      String key, String commonName, Integer validityDays, Boolean nameConstraints, String cache) {
    public static final CaSpec DEFAULT = new CaSpec(null, null, null, null, null);

    public CaSpec {
      key = key == null ? "ecdsa-p256" : key;
      commonName = commonName == null ? "testrig throw-away CA" : commonName;
      validityDays = validityDays == null ? 30 : validityDays;
      nameConstraints = nameConstraints != null && nameConstraints;
    }
  }

  /**
   * @param dns DNS SANs; default: the entry name
   * @param ip IP SANs
   * @param usage {@code server}, {@code client} or both; default {@code [server]}
   * @param commonName subject CN; default the first DNS name
   * @param key like the CA's; default the CA's
   * @param validityDays default 397 (Apple's limit for TLS server certs)
   * @param pk8 also write a DER PKCS#8 key (for pgjdbc's sslkey)
   */
  public record LeafSpec(
      List<String> dns,
      List<String> ip,
      List<String> usage,
      String commonName,
      String key,
      Integer validityDays,
      Boolean pk8) {
    public LeafSpec {
      dns = dns == null ? List.of() : dns;
      ip = ip == null ? List.of() : ip;
      usage = usage == null ? List.of("server") : usage;
      validityDays = validityDays == null ? 397 : validityDays;
      pk8 = pk8 != null && pk8;
    }
  }
}

package io.testrig.rig;

import io.testrig.core.TestrigException;
import io.testrig.rig.CertsSpec.LeafSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * The rules for the {@code certs:} section, in one place: the rig loader runs them (with file and
 * line) and the PKI runs them again before it makes a key, for a spec that did not come through the
 * loader (issue 9, item 6: they used to exist twice, here and in {@code Pki.plan}).
 */
public final class CertRules {
  static final Set<String> KEY_TYPES = Set.of("ecdsa-p256", "rsa-2048", "rsa-3072", "rsa-4096");
  static final Set<String> USAGES = Set.of("server", "client");

  /**
   * Bounds that keep every command's work small (issue 7, item 14); docs/rig-file.md, "Limits",
   * lists them. Each leaf costs a key pair and two PKCS12 key derivations.
   */
  static final int MAX_CERTS = 100;

  static final int MAX_NAMES_PER_CERT = 100;

  /** Hostname labels: letters, digits, hyphens and underscores (compose service names use them). */
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
              + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");

  /** RFC 1035 2.3.4: a name is at most 253 characters in text form. */
  private static final int MAX_DNS_CHARS = 253;

  /** RFC 5280 appendix A: ub-common-name is 64. */
  private static final int MAX_CN_CHARS = 64;

  private CertRules() {}

  /**
   * Throws the first problem of {@code spec} as {@code <key>: <what>} (exit 2); for callers that
   * got a spec without the loader.
   */
  public static void requireValid(CertsSpec spec) {
    Problems out = new Problems();
    check(spec, out);
    if (!out.isEmpty()) {
      throw TestrigException.badInput(out.list().get(0).toString());
    }
  }

  /** Adds every problem of the {@code certs:} section to {@code out}. */
  public static void check(CertsSpec certs, Problems out) {
    out.require(
        KEY_TYPES.contains(certs.ca().key()),
        "certs.ca.key",
        "must be one of " + RigValidator.sorted(KEY_TYPES));
    days(certs.ca().validityDays(), "certs.ca.validity_days", out);
    if (certs.ca().cache() != null) {
      RigValidator.path(certs.ca().cache(), "certs.ca.cache", out);
    }
    out.require(
        certs.issue().size() <= MAX_CERTS,
        "certs.issue",
        "has " + certs.issue().size() + " entries, at most " + MAX_CERTS + " are allowed");
    for (Map.Entry<String, LeafSpec> e : certs.issue().entrySet()) {
      leaf(e.getKey(), e.getValue(), out);
    }
  }

  private static void leaf(String name, LeafSpec leaf, Problems out) {
    String at = "certs.issue." + name;
    if (!out.require(leaf != null, at, "must be a mapping (use {} for defaults)")) {
      return;
    }
    out.require(
        RigValidator.NAME.matcher(name).matches(),
        at,
        "is not a valid name (letters, digits, _ and -)");
    out.require(!name.equals("ca"), at, "the name 'ca' is reserved for the CA in templates");
    out.require(
        leaf.key() == null || KEY_TYPES.contains(leaf.key()),
        at + ".key",
        "must be one of " + RigValidator.sorted(KEY_TYPES));
    usage(leaf.usage(), at, out);
    days(leaf.validityDays(), at + ".validity_days", out);
    List<String> dns = leaf.dns().isEmpty() ? List.of(name) : leaf.dns();
    if (out.require(dns.size() <= MAX_NAMES_PER_CERT, at + ".dns", "at most 100 names")) {
      for (int i = 0; i < dns.size(); i++) {
        String d = dns.get(i);
        out.require(
            d == null || (d.length() <= MAX_DNS_CHARS && DNS_NAME.matcher(d).matches()),
            at + ".dns[" + i + "]",
            "'" + d + "' is not a DNS name (letters, digits, - and _)");
        out.require(d != null, at + ".dns[" + i + "]", "must be a DNS name");
      }
    }
    if (out.require(leaf.ip().size() <= MAX_NAMES_PER_CERT, at + ".ip", "at most 100 addresses")) {
      for (int i = 0; i < leaf.ip().size(); i++) {
        String ip = leaf.ip().get(i);
        out.require(
            ip != null && IPAddress.isValid(ip),
            at + ".ip[" + i + "]",
            ip == null ? "is not an IP address" : "'" + ip + "' is not an IP address");
      }
    }
    // The default CN is the first DNS name; a missing one is named above.
    String cn = leaf.commonName() != null ? leaf.commonName() : dns.get(0);
    out.require(
        cn == null || (!cn.isEmpty() && cn.length() <= MAX_CN_CHARS),
        at + ".common_name",
        "must be 1 to " + MAX_CN_CHARS + " characters");
  }

  private static void usage(List<String> usage, String at, Problems out) {
    out.require(!usage.isEmpty(), at + ".usage", "must name server, client or both");
    for (int i = 0; i < usage.size(); i++) {
      out.require(
          usage.get(i) != null && USAGES.contains(usage.get(i)),
          at + ".usage[" + i + "]",
          "must be server or client");
    }
  }

  /**
   * Validity in days: at least 1, at most {@link CertsSpec#MAX_VALIDITY_DAYS} (X.509 ends in 9999).
   */
  private static void days(int days, String at, Problems out) {
    out.require(
        days >= 1 && days <= CertsSpec.MAX_VALIDITY_DAYS,
        at,
        "must be between 1 and " + CertsSpec.MAX_VALIDITY_DAYS);
  }
}

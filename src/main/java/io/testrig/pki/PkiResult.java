package io.testrig.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * What {@link Pki#issue} made.
 *
 * @param caCertPath the CA certificate in the certs directory
 * @param caCacheDir the CA cache directory, or null for an ephemeral CA
 * @param caCreated true when the CA was made by this call (always for an ephemeral CA)
 * @param certs the leaves, in rig-file order
 * @param templateContext one top-level key, {@code certs}, for template rendering: {@code
 *     certs.<name>.cert_path|chain_path|key_path|pk8_path|keystore_path|keystore_password|
 *     truststore_path|truststore_password|cert_pem|chain_pem} and {@code
 *     certs.ca.cert_path|cert_pem}. It holds the store passwords: never print it.
 */
public record PkiResult(
    X509Certificate caCert,
    Path caCertPath,
    Path caCacheDir,
    boolean caCreated,
    Map<String, IssuedCert> certs,
    Map<String, Object> templateContext) {
  @Override
  public String toString() {
    return "PkiResult[ca=" + caCertPath + ", certs=" + certs.keySet() + "]";
  }
}

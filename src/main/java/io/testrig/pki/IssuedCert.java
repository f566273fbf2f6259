package io.testrig.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * One issued leaf and where its files are. Passwords are deliberately not fields here (a record's
 * toString would print them); they reach templates through {@link PkiResult#templateContext()}.
 *
 * @param name the entry name under {@code certs.issue}; also the keystore alias
 * @param pk8Path the DER PKCS#8 key, or null unless {@code pk8: true}
 */
public record IssuedCert(
    String name,
    X509Certificate certificate,
    Path certPath,
    Path chainPath,
    Path keyPath,
    Path pk8Path,
    Path keystorePath,
    Path truststorePath) {}

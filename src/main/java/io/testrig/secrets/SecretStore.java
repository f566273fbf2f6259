package io.testrig.secrets;

import io.testrig.core.Redactor;
import io.testrig.rig.Rig;
import java.nio.file.Path;

/**
 * config.json: generated secrets, created on first reference and reused everywhere. SKELETON:
 * signatures other packages rely on; the secrets feature fills in the bodies.
 */
public final class SecretStore {
  private SecretStore() {}

  /**
   * Opens (or creates) config.json: {@code persistentConfig} when non-null, else the run
   * directory's. Every value loaded or generated is added to {@code redactor}.
   */
  public static SecretStore open(Rig rig, RunDir runDir, Path persistentConfig, Redactor redactor) {
    throw new UnsupportedOperationException("skeleton");
  }

  /**
   * The value at a generator path such as {@code password.db.app} or {@code
   * password.certs.postgres.keystore}, generated with that namespace's generator on first use.
   */
  public String secret(String path) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Writes config.json atomically with mode 0600. */
  public void save() {
    throw new UnsupportedOperationException("skeleton");
  }
}

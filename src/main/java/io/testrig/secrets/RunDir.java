package io.testrig.secrets;

import io.testrig.rig.Rig;
import java.nio.file.Path;

/**
 * The run directory: config.json (unless a persistent one is used), certs/ and rendered files.
 * SKELETON: signatures other packages rely on; the secrets feature fills in the bodies.
 */
public final class RunDir {
  private RunDir() {}

  /**
   * The run directory for a rig: {@code override} when given, else an ephemeral 0700 directory
   * under $XDG_RUNTIME_DIR or /dev/shm (else a temp dir), stable for the same rig file so separate
   * commands (render, then secrets wipe) find it again.
   */
  public static RunDir resolve(Rig rig, Path override) {
    throw new UnsupportedOperationException("skeleton");
  }

  public Path path() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Where certificates and keys go: {@code <run dir>/certs}. */
  public Path certsDir() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Removes the run directory; idempotent; refuses to touch anything outside it. */
  public void wipe() {
    throw new UnsupportedOperationException("skeleton");
  }
}

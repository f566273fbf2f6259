package io.testrig.run;

import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.pki.Pki;
import io.testrig.pki.PkiResult;
import io.testrig.rig.CertsSpec;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code testrig certs}: issues the throw-away CA and the rig's certificates into the run
 * directory's {@code certs/}, with keystore passwords generated as secrets in config.json.
 */
public final class CertsService {
  private final Rig rig;
  private final Path shownFile;
  private final Redactor redactor;

  /**
   * @param shownFile the rig file as the user named it, for error messages
   */
  public CertsService(Rig rig, Path shownFile, Redactor redactor) {
    this.rig = rig;
    this.shownFile = shownFile;
    this.redactor = redactor;
  }

  /**
   * The rig's certs spec, with {@code caCache} (when given) winning over {@code certs.ca.cache}.
   */
  public CertsSpec spec(Path caCache) {
    CertsSpec certs = rig.certs();
    return caCache == null ? certs : certs.withCaCache(caCache.toAbsolutePath().toString());
  }

  /**
   * Issues {@code certs} into the run directory ({@code runDir}, or the rig's ephemeral one), with
   * secrets from {@code config} (or the run directory's config.json). Bad input fails before
   * anything is created: no run directory, no config.json, no key; a failed issue leaves no CA key
   * behind in a run directory made just now.
   */
  public PkiResult issue(CertsSpec certs, Path runDir, Path config) {
    withFile(
        certs,
        c -> {
          Pki.check(c);
          return null;
        });
    RunDir dir = RunDir.resolve(rig, runDir);
    try {
      SecretStore store = SecretStore.open(rig, dir, config, redactor);
      PkiResult result =
          withFile(certs, c -> Pki.issue(c, rig.dir(), dir.certsDir(), store::secret));
      store.save();
      return result;
    } catch (RuntimeException | Error e) {
      if (dir.createdNow()) {
        dir.wipe();
      }
      throw e;
    }
  }

  /** Pki names the key path; the user also needs the rig file. */
  private <T> T withFile(CertsSpec certs, Function<CertsSpec, T> action) {
    try {
      return action.apply(certs);
    } catch (TestrigException e) {
      if (e.exitCode() == ExitCode.BAD_INPUT && e.getMessage().startsWith("certs.")) {
        throw new TestrigException(ExitCode.BAD_INPUT, shownFile + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }
}

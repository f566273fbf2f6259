package io.testrig.cli;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.pki.IssuedCert;
import io.testrig.pki.Pki;
import io.testrig.pki.PkiResult;
import io.testrig.rig.CertsSpec;
import io.testrig.rig.CertsSpec.CaSpec;
import io.testrig.rig.Rig;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
      "Issue the throw-away CA and the rig's TLS certificates into <run dir>/certs.",
      "Keystore and truststore passwords are generated as secrets"
          + " (password.certs.<name>.keystore|truststore in config.json)."
    })
final class CertsCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;
  @ParentCommand TestrigCommand root;

  @Option(
      names = "--ca-cache",
      paramLabel = "DIR",
      description =
          "Keep the CA in DIR across runs (made there when missing), so trust stores keep"
              + " matching; wins over certs.ca.cache. Default: a new CA per run, wiped with it.")
  Path caCache;

  @Override
  public Integer call() {
    Rig r = rig.load();
    PrintWriter out = spec.commandLine().getOut();
    CertsSpec certs = r.certs();
    if (caCache != null) {
      CaSpec ca = certs.ca();
      certs =
          new CertsSpec(
              new CaSpec(
                  ca.key(),
                  ca.commonName(),
                  ca.validityDays(),
                  ca.nameConstraints(),
                  caCache.toAbsolutePath().toString()),
              certs.issue());
    }
    if (certs.isEmpty()) {
      out.println(rig.file + ": no certs.issue entries, nothing to issue");
      return 0;
    }
    // Bad input fails before anything is created: no run directory, no config.json, no key.
    withFile(
        certs,
        c -> {
          Pki.check(c);
          return null;
        });
    RunDir runDir = RunDir.resolve(r, rig.runDir);
    PkiResult result;
    try {
      SecretStore store = SecretStore.open(r, runDir, rig.config, root.redactor);
      CertsSpec spec = certs;
      result = withFile(spec, c -> Pki.issue(c, r.dir(), runDir.certsDir(), store::secret));
      store.save();
    } catch (RuntimeException | Error e) {
      // A failed issue leaves no CA key behind in a run directory made just now.
      if (runDir.createdNow()) {
        runDir.wipe();
      }
      throw e;
    }
    X509Certificate ca = result.caCert();
    out.printf(
        "ca: %s (%s, expires %s)%n",
        result.caCertPath(),
        result.caCacheDir() == null
            ? "ephemeral"
            : (result.caCreated() ? "new, cached in " : "cached in ") + result.caCacheDir(),
        day(ca));
    for (IssuedCert c : result.certs().values()) {
      out.printf(
          "%s: %s, .key, .chain.pem, .p12, .truststore.p12%s (expires %s)%n",
          c.name(), c.certPath(), c.pk8Path() == null ? "" : ", .pk8", day(c.certificate()));
    }
    return 0;
  }

  /** Pki names the key path; the user also needs the rig file. */
  private <T> T withFile(CertsSpec certs, Function<CertsSpec, T> action) {
    try {
      return action.apply(certs);
    } catch (TestrigException e) {
      if (e.exitCode() == ExitCode.BAD_INPUT && e.getMessage().startsWith("certs.")) {
        throw new TestrigException(ExitCode.BAD_INPUT, rig.file + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private static String day(X509Certificate c) {
    return c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}

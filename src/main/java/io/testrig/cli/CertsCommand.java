package io.testrig.cli;

import io.testrig.pki.IssuedCert;
import io.testrig.pki.PkiResult;
import io.testrig.rig.CertsSpec;
import io.testrig.run.CertsService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
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
    PrintWriter out = spec.commandLine().getOut();
    CertsService service = new CertsService(rig.load(), rig.file, root.redactor);
    CertsSpec certs = service.spec(caCache);
    if (certs.isEmpty()) {
      out.println(rig.file + ": no certs.issue entries, nothing to issue");
      return 0;
    }
    PkiResult result = service.issue(certs, rig.runDir, rig.config);
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

  private static String day(X509Certificate c) {
    return c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}

package io.testrig.cli;

import io.testrig.core.TestrigException;
import io.testrig.pki.Pki;
import io.testrig.rig.Rig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a rig file without side effects.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin RigOptions rig;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Rig r = rig.load();
    try {
      // Cert names and IPs are checked as `certs` would, without making a key.
      Pki.check(r.certs());
    } catch (TestrigException e) {
      throw new TestrigException(e.exitCode(), rig.file + ": " + e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "%s: ok (%d template sets, %d certs, %d compose files, %d suites, %d matrix axes)%n",
            rig.file,
            r.templates().size(),
            r.certs().issue().size(),
            r.stack().files().size(),
            r.suites().size(),
            r.matrix().size());
    return 0;
  }
}

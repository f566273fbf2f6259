package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void helpDocumentsTheCacheOption() {
    assertEquals(0, run("certs", "--help"));
    assertTrue(cli.out().contains("--ca-cache=DIR"), cli.out());
    assertTrue(cli.out().contains("--run-dir=DIR"), cli.out());
  }

  @Test
  void badCertInputFailsBeforeAnythingIsCreated() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "certs:\n  issue:\n    db: {dns: ['no spaces please']}\n");
    Path runDir = dir.resolve("run");
    assertEquals(2, run("certs", "-f", rig.toString(), "--run-dir", runDir.toString()));
    assertEquals(
        "testrig: "
            + rig
            + ":3: certs.issue.db.dns[0]: 'no spaces please' is not a DNS name (letters, digits, -"
            + " and _)\n",
        cli.err());
    assertFalse(Files.exists(runDir));
  }

  @Test
  void aRigWithoutCertsIssuesNothing() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "values: {a: 1}\n");
    assertEquals(0, run("certs", "-f", rig.toString(), "--run-dir", dir.resolve("run").toString()));
    assertEquals(rig + ": no certs.issue entries, nothing to issue\n", cli.out());
    assertFalse(Files.exists(dir.resolve("run")));
  }
}

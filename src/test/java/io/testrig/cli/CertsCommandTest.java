package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpDocumentsTheCacheOption() {
    assertEquals(0, run("certs", "--help"));
    assertTrue(out.toString().contains("--ca-cache=DIR"), out.toString());
    assertTrue(out.toString().contains("--run-dir=DIR"), out.toString());
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
        err.toString());
    assertFalse(Files.exists(runDir));
  }

  @Test
  void aRigWithoutCertsIssuesNothing() throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, "values: {a: 1}\n");
    assertEquals(0, run("certs", "-f", rig.toString(), "--run-dir", dir.resolve("run").toString()));
    assertEquals(rig + ": no certs.issue entries, nothing to issue\n", out.toString());
    assertFalse(Files.exists(dir.resolve("run")));
  }
}

package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue 7, items 11 and 15 through the CLI: exit 2, one stderr line naming the file, once. */
class BadInputCliTest {
  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  private Path rig(String yaml) throws Exception {
    Path rig = dir.resolve("testrig.yml");
    Files.writeString(rig, yaml);
    return rig;
  }

  private void assertOneLine(String expected) {
    assertEquals(expected + "\n", cli.err());
  }

  @Test
  void hugeValidityFailsInValidateAndIssuesNothing() throws Exception {
    Path rig = rig("certs:\n  ca:\n    validity_days: 36500000\n  issue: {db: {}}\n");
    assertEquals(2, run("validate", "-f", rig.toString()));
    assertOneLine("testrig: " + rig + ":3: certs.ca.validity_days: must be between 1 and 36500");
    cli.clear();
    Path runDir = dir.resolve("run");
    assertEquals(2, run("certs", "-f", rig.toString(), "--run-dir", runDir.toString()));
    assertOneLine("testrig: " + rig + ":3: certs.ca.validity_days: must be between 1 and 36500");
    assertFalse(Files.exists(runDir), "no run directory");
  }

  @Test
  void nulInAPathIsExit2() throws Exception {
    Path rig = rig("templates:\n  - {from: t, to: \"\\0x\"}\n");
    assertEquals(2, run("render", "-f", rig.toString(), "--run-dir", dir.resolve("r").toString()));
    assertOneLine(
        "testrig: " + rig + ":2: templates[0].to: is not a valid path: Nul character not allowed");
  }

  @Test
  void aGeneratorNamedCertsIsAClearError() throws Exception {
    Path rig = rig("secrets:\n  generators:\n    certs: {kind: hex}\ncerts: {issue: {db: {}}}\n");
    assertEquals(2, run("render", "-f", rig.toString(), "--run-dir", dir.resolve("r").toString()));
    assertOneLine(
        "testrig: "
            + rig
            + ":3: secrets.generators.certs: the name 'certs' is reserved for templates"
            + " (reserved: [certs, run])");
  }

  @Test
  void aValueNamedLikeAGeneratorNamesFileAndLine() throws Exception {
    Path rig = rig("secrets:\n  generators:\n    db: {kind: hex}\nvalues:\n  db: {name: x}\n");
    assertEquals(2, run("render", "-f", rig.toString(), "--run-dir", dir.resolve("r").toString()));
    assertOneLine(
        "testrig: "
            + rig
            + ":5: values.db: a value cannot use the name of the secret generator 'db'");
  }

  @Test
  void secretsConfigNamingADirectoryIsExit2() throws Exception {
    Files.createDirectory(dir.resolve("cfg"));
    Path rig = rig("secrets: {config: cfg}\n");
    assertEquals(2, run("render", "-f", rig.toString(), "--run-dir", dir.resolve("r").toString()));
    assertOneLine(
        "testrig: "
            + rig
            + ": secrets.config "
            + dir.resolve("cfg")
            + ": is a directory, not a regular file; refusing to replace it");
  }

  @Test
  void configWithInvalidUtf8IsExit2() throws Exception {
    Path config = dir.resolve("config.json");
    Files.write(config, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'});
    Path rig = rig("values: {a: 1}\n");
    assertEquals(
        2,
        run(
            "render",
            "-f",
            rig.toString(),
            "--config",
            config.toString(),
            "--run-dir",
            dir.resolve("r").toString()));
    assertOneLine("testrig: " + config + ": config is not valid UTF-8 JSON");
  }

  @Test
  void renderOfADeviceOrFifoIsExit2AndMakesNoRunDirectory() throws Exception {
    Path fifo = dir.resolve("fifo.yml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0);
    // /dev/zero is only stat'ed: a rig file is never opened unless it is a regular file.
    for (Path f : new Path[] {Path.of("/dev/zero"), fifo}) {
      cli.clear();
      Path runDir = dir.resolve("run");
      int code =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(60),
              () -> run("render", "-f", f.toString(), "--run-dir", runDir.toString()));
      assertEquals(2, code);
      assertOneLine(
          "testrig: "
              + f
              + ": not a regular file (a FIFO, socket or device); a rig file must be a"
              + " file");
      assertFalse(Files.exists(runDir));
    }
  }

  @Test
  void yamlSyntaxErrorsAreOneLine() throws Exception {
    String[] broken = {
      "values:\n  a: b: c\n",
      "values:\n\ta: 1\n",
      "values: {a: 1\n",
      "values:\n  - a\n  b: 1\n",
      "values:\n  a: 1\n b: 2\n",
      "values: \"abc\n",
      "values: [a, b\nname: x\n",
      "? [a\n",
      "values: !<tag:x> {a: 1}\n",
      "values: &a {a: 1}\nname: *a\n",
    };
    for (String yaml : broken) {
      cli.clear();
      Path rig = rig(yaml);
      assertEquals(2, run("validate", "-f", rig.toString()), yaml);
      assertEquals(1, cli.err().lines().count(), () -> yaml + " -> " + cli.err());
      assertTrue(cli.err().startsWith("testrig: " + rig + ":"), cli::err);
    }
  }

  @Test
  void aMultiLineMessageIsFoldedIntoOne() {
    assertEquals("a | b | c", Main.oneLine("a\nb\r\n  c\n"));
  }

  @Test
  void librariesLogOnlyWarningsOnStderr() {
    // simplelogger.properties: a library's INFO chatter stays off testrig's stderr.
    assertFalse(LoggerFactory.getLogger("com.hubspot.jinjava.Jinjava").isInfoEnabled());
    assertTrue(LoggerFactory.getLogger("com.hubspot.jinjava.Jinjava").isWarnEnabled());
    assertTrue(LoggerFactory.getLogger("io.testrig.cli.Main").isWarnEnabled());
  }
}

package io.testrig.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7, items 11, 13, 14 and 15 on the rig-file side: every bad input is one exit-2 line. */
class RigInputBoundsTest {
  private static final Path FILE = Path.of("/repo/testrig.yml");

  /** A hang guard, not a speed goal: old code blocked forever or ran for minutes here. */
  private static final Duration NO_HANG = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static TestrigException bad(String yaml) {
    return bad(() -> new RigLoader().parse(FILE, yaml));
  }

  private static TestrigException bad(Executable action) {
    TestrigException e =
        assertTimeoutPreemptively(NO_HANG, () -> assertThrows(TestrigException.class, action));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), () -> "one line: " + e.getMessage());
    return e;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // 11: bounds and names that failed later with exit 70 or an internal message
        "certs:\\n  ca: {validity_days: 36500000}\\n  issue: {db: {}}|/repo/testrig.yml:2: certs.ca.validity_days: must be between 1 and 36500",
        "certs:\\n  issue:\\n    db: {validity_days: 36501}|/repo/testrig.yml:3: certs.issue.db.validity_days: must be between 1 and 36500",
        "templates:\\n  - {from: t, to: \"\\0x\"}|/repo/testrig.yml:2: templates[0].to: is not a valid path",
        "templates:\\n  - {from: \"templates [\"}|/repo/testrig.yml:2: templates[0].from: is not a valid glob: Missing ']",
        "templates:\\n  - {from: \"a\\0\"}|/repo/testrig.yml:2: templates[0].from: is not a valid path",
        "stack:\\n  files: [\"c\\0.yml\"]|/repo/testrig.yml:2: stack.files[0]: is not a valid path",
        "secrets:\\n  config: \"x\\0\"|/repo/testrig.yml:2: secrets.config: is not a valid path",
        "secrets:\\n  generators:\\n    certs: {kind: hex}|/repo/testrig.yml:3: secrets.generators.certs: the name 'certs' is reserved for templates",
        "secrets:\\n  generators:\\n    run: {kind: hex}|/repo/testrig.yml:3: secrets.generators.run: the name 'run' is reserved for templates",
        // 15: the value/generator clash names file and line
        "secrets:\\n  generators:\\n    db: {kind: hex}\\nvalues:\\n  db: {name: x}|/repo/testrig.yml:5: values.db: a value cannot use the name of the secret generator 'db'",
        "certs: {issue: {db: {}}}\\nvalues:\\n  certs: x|/repo/testrig.yml:3: values.certs: the name 'certs' is reserved for the certificates in templates",
        "values:\\n  password: 1|/repo/testrig.yml:2: values.password: a value cannot use the name of the secret generator 'password'",
        // 13: aliases, a second document, text after the end marker
        "values:\\n  s: &s hello\\n  t: *s|/repo/testrig.yml:3: values.t: YAML aliases (*s) are not supported",
        "values:\\n  l: [&a 1, *a]|/repo/testrig.yml:2: values.l[1]: YAML aliases (*a) are not supported",
        "values:\\n  user: \"\\ud800\"|/repo/testrig.yml:2: values.user: contains an unpaired surrogate escape",
        "values: {a: 1}\\n---\\nvalues: {b: 2}|/repo/testrig.yml:2: a rig file is one YAML document",
        "values: {a: 1}\\n...\\ngarbage|/repo/testrig.yml:3: a rig file is one YAML document",
        "values: {a: 1}\\n...\\nname: x|/repo/testrig.yml:3: a rig file is one YAML document",
        "values: {a: 1}\\n...\\n- x|/repo/testrig.yml:3: a rig file is one YAML document",
        // 15: syntax errors are one line naming the line
        "values:\\n  a: [1, 2\\n  b: 3|/repo/testrig.yml:3: invalid YAML: while parsing a flow sequence",
        "values:\\n  a: \"abc|/repo/testrig.yml:2: invalid YAML: while scanning a quoted scalar",
        "values:\\n\\ta: 1|/repo/testrig.yml:2: invalid YAML:",
        "values:\\n  a: b: c|/repo/testrig.yml:2: invalid YAML: mapping values are not allowed here",
        "values:\\n  a: 1\\n b: 2|/repo/testrig.yml:3: invalid YAML:",
        "values: {a: 1|/repo/testrig.yml:1: invalid YAML: while parsing a flow mapping",
        "values:\\n  - a\\n  b: 1|/repo/testrig.yml:3: invalid YAML:",
        "values: !!binary x|/repo/testrig.yml:1:",
        "values: [|/repo/testrig.yml:1: invalid YAML:",
        "values:\\n  a: \"x\u0001\"|/repo/testrig.yml:2: invalid YAML: special characters are not allowed",
        "values: @x|/repo/testrig.yml:1: invalid YAML:",
        "values: {a: %x}|/repo/testrig.yml:1: invalid YAML:",
        "%YAML 9.9\\n---\\nname: x|/repo/testrig.yml:1: invalid YAML:",
      })
  void badInputIsOneLineNamingFileAndLine(String yaml, String expected) {
    TestrigException e = bad(yaml.replace("\\n", "\n").replace("\\t", "\t"));
    assertTrue(e.getMessage().startsWith(expected), () -> "got: " + e.getMessage());
  }

  @Test
  void aliasBombIsRefusedAtTheFirstAlias() {
    StringBuilder y = new StringBuilder("values:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      y.append("  a").append(i).append(": &a").append(i).append(" [");
      y.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }
    TestrigException e = bad(y.toString());
    assertTrue(
        e.getMessage().startsWith("/repo/testrig.yml:3: values.a1[0]: YAML aliases (*a0)"),
        e.getMessage());
  }

  @Test
  void deepNestingIsAnErrorNotARecursion() {
    String deep = "values:\n  a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";
    TestrigException e = bad(deep);
    assertTrue(e.getMessage().contains(": nested deeper than 64 levels"), e.getMessage());
  }

  @Test
  void manyCertsAreBoundedBeforeAnyKeyIsMade() {
    StringBuilder y = new StringBuilder("certs:\n  issue:\n");
    for (int i = 0; i < 5_000; i++) {
      y.append("    c").append(i).append(": {}\n");
    }
    TestrigException e = bad(y.toString());
    assertEquals(
        "/repo/testrig.yml:2: certs.issue: has 5000 entries, at most 100 are allowed",
        e.getMessage());
  }

  @Test
  void aHugeMatrixIsAnError() {
    StringBuilder y = new StringBuilder("matrix:\n");
    for (int i = 0; i < 12; i++) {
      y.append("  a").append(i).append(": [1, 2, 3, 4]\n");
    }
    TestrigException e = bad(y.toString());
    assertTrue(
        e.getMessage().startsWith("/repo/testrig.yml:6: matrix.a4: the matrix has more than 256"),
        e.getMessage());
  }

  @Test
  void aTenMegabytePlainScalarIsRefusedByTheSizeLimit() throws Exception {
    Path f = dir.resolve("testrig.yml");
    Files.writeString(f, "values:\n  a: " + "x".repeat(10 * 1024 * 1024) + "\n");
    TestrigException e = bad(() -> new RigLoader().load(f));
    assertEquals(f + ": rig file is larger than 256 KiB (the limit)", e.getMessage());
  }

  @Test
  void aFileJustUnderTheLimitsLoads() throws Exception {
    Path f = dir.resolve("testrig.yml");
    String value = "x".repeat(RigLoader.MAX_LINE_CHARS - 10);
    StringBuilder y = new StringBuilder("values:\n");
    for (int i = 0; i < 3; i++) {
      y.append("  a").append(i).append(": ").append(value).append('\n');
    }
    Files.writeString(f, y);
    Rig rig = assertTimeoutPreemptively(NO_HANG, () -> new RigLoader().load(f));
    assertEquals(value, rig.values().get("a2"));
  }

  @Test
  void aLongLineIsRefusedNamingIt() throws Exception {
    Path f = dir.resolve("testrig.yml");
    Files.writeString(f, "name: x\nvalues:\n  a: " + "x".repeat(200_000) + "\n");
    TestrigException e = bad(() -> new RigLoader().load(f));
    assertEquals(
        f
            + ":3: line is longer than 65536 characters (the limit; use a block scalar '|' for"
            + " long text)",
        e.getMessage());
  }

  @Test
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("testrig.yml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
    TestrigException e = bad(() -> new RigLoader().load(fifo));
    assertEquals(
        fifo + ": not a regular file (a FIFO, socket or device); a rig file must be a file",
        e.getMessage());
  }

  @Test
  void aDeviceIsRefusedWithoutReadingIt() {
    // Only its type is read: RigLoader never opens a file that is not a regular one.
    Path zero = Path.of("/dev/zero");
    TestrigException e = bad(() -> new RigLoader().load(zero));
    assertTrue(e.getMessage().startsWith("/dev/zero: not a regular file"), e.getMessage());
  }

  @Test
  void aDirectoryIsRefused() {
    TestrigException e = bad(() -> new RigLoader().load(dir));
    assertEquals(dir + ": is a directory, not a rig file", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3})
  void invalidUtf8NamesItsLine(int line0) throws Exception {
    Path f = dir.resolve("testrig.yml");
    byte[] head =
        "values:\n  a: 1\n  b: 2\n"
            .lines()
            .limit(line0)
            .map(l -> l + "\n")
            .reduce("", String::concat)
            .getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 8];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(
        "name: \u00ff".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, head.length, 7);
    bytes[bytes.length - 1] = '\n';
    Files.write(f, bytes);
    TestrigException e = bad(() -> new RigLoader().load(f));
    assertEquals(f + ":" + (line0 + 1) + ": not valid UTF-8", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "templates: [~]|/repo/testrig.yml:1: templates[0]: must be a mapping",
        "certs: {issue: {db: {ip: [~]}}}|/repo/testrig.yml:1: certs.issue.db.ip[0]: is not an IP address",
        "certs: {issue: {db: {dns: [~]}}}|/repo/testrig.yml:1: certs.issue.db.dns[0]: must be a DNS name",
        "certs: {issue: {db: {usage: [~]}}}|/repo/testrig.yml:1: certs.issue.db.usage[0]: must be server or client",
        "stack: {services: {x: {probe: {command: [~]}}}}|/repo/testrig.yml:1: stack.services.x.probe.command[0]: must be a string",
        "suites: [{name: a, junit: {classpath: [~]}}]|/repo/testrig.yml:1: suites[0].junit.classpath[0]: must be a string",
        "stack: {services: {x: {probe: {tcp: 99999999}}}}|/repo/testrig.yml:1: stack.services.x.probe.tcp: must be a port between 1 and 65535",
        "secrets: {env_prefix: \"\"}|/repo/testrig.yml:1: secrets.env_prefix: must be a prefix of letters, digits and _ (default TESTRIG_)",
        "stack: {timeout: 99999999999999h}|/repo/testrig.yml:1: stack.timeout: must be at most 168h",
        "stack: {timeout: 99999999999999999999999s}|/repo/testrig.yml:1: stack.timeout: expected a duration like 500ms, 30s, 2m or 1h, got '99999999999999999999999s'",
        "suites: [~]|/repo/testrig.yml:1: suites[0]: must be a mapping",
        "stack: {files: [~]}|/repo/testrig.yml:1: stack.files[0]: must be a path",
      })
  void nullListEntriesAreErrorsNotCrashes(String yaml, String expected) {
    assertEquals(expected, bad(yaml).getMessage());
  }
}

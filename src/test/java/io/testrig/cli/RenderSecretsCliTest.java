package io.testrig.cli;

import static io.testrig.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.Fixtures;
import io.testrig.core.SpecialFiles;
import io.testrig.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render and secrets commands through Main.run, as a user sees them. */
class RenderSecretsCliTest {
  @TempDir Path tmp;

  private Cli.Result inRig(Path proj, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(
        List.of(
            "-f",
            proj.resolve("testrig.yml").toString(),
            "--run-dir",
            tmp.resolve("run").toString()));
    return Cli.exec(a);
  }

  private static List<String> leaves(Object node) {
    List<String> out = new ArrayList<>();
    if (node instanceof Map<?, ?> m) {
      m.values().forEach(v -> out.addAll(leaves(v)));
    } else {
      out.add(String.valueOf(node));
    }
    return out;
  }

  @Test
  void renderPrintsRunDirAndFilesButNoSecret() throws Exception {
    Path proj = Fixtures.copy("basic", tmp);
    Cli.Result r = inRig(proj, "render");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("run dir: " + tmp.resolve("run") + "\n"), r.out());
    assertTrue(r.out().contains("wrote etc/app.ini (0600, secrets)"), r.out());
    assertTrue(r.out().contains("wrote etc/readme.md (0644)"), r.out());
    assertTrue(r.out().contains("4 files, 2 with secrets"), r.out());
    Map<?, ?> config =
        new ObjectMapper().readValue(tmp.resolve("run/config.json").toFile(), Map.class);
    for (String secret : leaves(config)) {
      assertFalse(r.out().contains(secret) || r.err().contains(secret));
    }
  }

  @Test
  void consoleOutputIsRedactedEvenWhenAValueWouldBePrinted() throws Exception {
    // A template whose *name* is a secret value is contrived, but proves the console is masked:
    // the secret is preset with --set, so its value is known before rendering.
    Path proj = tmp.resolve("p");
    write(proj.resolve("testrig.yml"), "templates:\n  - from: t\n");
    write(proj.resolve("t/Zq9SecretName77.j2"), "{{ password.file }}\n");
    Cli.Result r = inRig(proj, "render", "--set", "password.file=Zq9SecretName77");
    assertEquals(0, r.code(), r.err());
    assertFalse(r.out().contains("Zq9SecretName77"), r.out());
    assertTrue(r.out().contains("wrote [MASKED password.file] (0600, secrets)"), r.out());
  }

  @Test
  void showMasksRotateChangesWipeTwiceIsSafe() throws Exception {
    Path proj = Fixtures.copy("basic", tmp);
    assertEquals(0, inRig(proj, "render").code());
    Path config = tmp.resolve("run/config.json");
    String before = Files.readString(config);
    String pw = leaves(new ObjectMapper().readValue(before, Map.class)).get(0);

    Cli.Result show = inRig(proj, "secrets", "show");
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("password.db.app = ******** (32 chars)"), show.out());
    assertFalse(show.out().contains(pw));
    assertFalse(show.out().contains(Base64.getEncoder().encodeToString(pw.getBytes())));

    Cli.Result rot = inRig(proj, "secrets", "rotate", "password.db.app");
    assertEquals(0, rot.code(), rot.err());
    assertFalse(rot.out().contains(pw));
    assertFalse(Files.readString(config).contains(pw), "value replaced");

    Cli.Result w1 = inRig(proj, "secrets", "wipe");
    assertEquals(0, w1.code(), w1.err());
    assertTrue(w1.out().startsWith("wiped "), w1.out());
    assertFalse(Files.exists(tmp.resolve("run")));
    Cli.Result w2 = inRig(proj, "secrets", "wipe");
    assertEquals(0, w2.code(), w2.err());
    assertTrue(w2.out().startsWith("nothing to wipe"), w2.out());
  }

  @Test
  void wipeKeepsPersistentConfigUnlessAsked() throws Exception {
    Path proj = Fixtures.copy("basic", tmp);
    Path cfg = tmp.resolve("keep/config.json");
    assertEquals(0, inRig(proj, "render", "--config", cfg.toString()).code());
    assertTrue(Files.exists(cfg));
    assertFalse(Files.exists(tmp.resolve("run/config.json")));
    Cli.Result w = inRig(proj, "secrets", "wipe", "--config", cfg.toString());
    assertEquals(0, w.code(), w.err());
    assertTrue(Files.exists(cfg), "persistent config kept");
    assertFalse(Files.exists(tmp.resolve("run")));
    w = inRig(proj, "secrets", "wipe", "--config", cfg.toString(), "--include-config");
    assertEquals(0, w.code(), w.err());
    assertFalse(Files.exists(cfg));
  }

  @Test
  void failedRenderIsOneLineExit2AndLeavesNoRunDir() {
    Path proj = tmp.resolve("p");
    write(proj.resolve("testrig.yml"), "templates:\n  - from: t\n");
    write(proj.resolve("t/a.j2"), "{{ password.a }}\n");
    write(proj.resolve("t/b.j2"), "ok\n{% if %}\n");
    Cli.Result r = inRig(proj, "render");
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("testrig: t/b.j2:2: "), r.err());
    assertFalse(Files.exists(tmp.resolve("run")), "no run dir, no config.json left");
  }

  @Test
  void badRigAndBadSetAreOneLineExit2() {
    Path proj = tmp.resolve("p");
    write(proj.resolve("testrig.yml"), "templates:\n  - from: t\n    mode: bad\n");
    Cli.Result r = inRig(proj, "render");
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("templates[0].mode"), r.err());

    write(proj.resolve("testrig.yml"), "templates:\n  - from: t\n");
    write(proj.resolve("t/a.j2"), "x\n");
    r = inRig(proj, "render", "--set", "a..b=1");
    assertEquals(2, r.code());
    assertEquals(
        "testrig: --set: 'a..b' is not a key path (segments of letters, digits, _ and -)\n",
        r.err());
    assertFalse(Files.exists(tmp.resolve("run")));

    r = inRig(proj, "secrets", "rotate", "nosuch.x");
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void secretsWithoutSubcommandIsUsageError() {
    Cli.Result r = Cli.exec("secrets");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("testrig: missing subcommand: show, rotate or wipe"), r.err());
  }

  @Test
  void aRenderThatHitsATemplateLimitExitsTwoOnOneLineAndWipesKeysAndConfig() {
    // Issue 7 item 5: 3,000 nested ifs overflowed the stack: exit 1, a 1,025-line trace, and the
    // run directory with ca.key and the leaf keys stayed.
    Path proj = tmp.resolve("p");
    write(
        proj.resolve("testrig.yml"),
        "templates:\n  - from: t\ncerts:\n  issue:\n    db: {dns: [db]}\n");
    write(proj.resolve("t/a.j2"), "{{ password.db }}\n");
    write(proj.resolve("t/deep.j2"), "{% if true %}".repeat(3000) + "{% endif %}".repeat(3000));
    Cli.Result r = inRig(proj, "render");
    assertEquals(2, r.code(), r.err());
    assertEquals("testrig: t/deep.j2:1: block tags nested deeper than 100 levels\n", r.err());
    assertFalse(Files.exists(tmp.resolve("run")), "run directory wiped");
  }

  @Test
  void aFailedCertsCommandRemovesTheRunDirectoryItMade() {
    Path proj = tmp.resolve("p");
    write(proj.resolve("testrig.yml"), "certs:\n  issue:\n    db: {dns: [db]}\n");
    write(proj.resolve("bad.json"), "{ not json");
    Cli.Result r = inRig(proj, "certs", "--config", proj.resolve("bad.json").toString());
    assertEquals(2, r.code(), r.err());
    assertFalse(Files.exists(tmp.resolve("run")), "run directory wiped");
  }

  @Test
  void writesNeverFollowASymlinkInAnAdoptedRunDirectory() throws Exception {
    // Issue 7 item 2: with RD/etc -> /elsewhere, rendered files landed in /elsewhere.
    Path proj = Fixtures.copy("basic", tmp);
    assertEquals(0, inRig(proj, "render").code());
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Path etc = tmp.resolve("run/etc");
    try (var s = Files.walk(etc)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createSymbolicLink(etc, elsewhere);
    Cli.Result r = inRig(proj, "render");
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "testrig: "
            + etc
            + ": is a symbolic link inside the run directory; testrig never writes through one\n",
        r.err());
    try (var s = Files.list(elsewhere)) {
      assertEquals(List.of(), s.toList(), "nothing lands behind the link");
    }
  }

  @Test
  void certsAndKeysNeverGoThroughALinkedCertsDirectory() throws Exception {
    Path proj = tmp.resolve("p");
    write(proj.resolve("testrig.yml"), "certs:\n  issue:\n    db: {dns: [db]}\n");
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve(".testrig-run"), "");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(run.resolve("certs"), elsewhere);
    for (String command : List.of("certs", "render")) {
      Cli.Result r = inRig(proj, command);
      assertEquals(2, r.code(), command + ": " + r.err());
      assertTrue(r.err().contains(run.resolve("certs") + ": is a symbolic link"), r.err());
      try (var s = Files.list(elsewhere)) {
        assertEquals(List.of(), s.toList(), command + ": no key lands behind the link");
      }
    }
  }

  @Test
  void aLinkedMarkerIsRefusedNotWrittenThrough() throws Exception {
    Path proj = Fixtures.copy("basic", tmp);
    Path run = Files.createDirectories(tmp.resolve("run"));
    Path target = write(tmp.resolve("elsewhere/marker"), "x");
    Files.createSymbolicLink(run.resolve(".testrig-run"), target);
    Cli.Result r = inRig(proj, "render");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(".testrig-run: is a symbolic link"), r.err());
    assertEquals("x", Files.readString(target));
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aConfigPathThatIsADeviceOrFifoIsRefusedAndLeftAlone() {
    // Issue 7 item 1: --config /dev/null became a 0600 file holding every password.
    Path proj = Fixtures.copy("basic", tmp);
    Path dev = SpecialFiles.charDevice(tmp.resolve("null"));
    Path fifo = SpecialFiles.fifo(tmp.resolve("pipe"));
    for (Path special : List.of(dev, fifo)) {
      Cli.Result r = inRig(proj, "render", "--config", special.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().startsWith("testrig: --config " + special + ": is a "), r.err());
      assertTrue(r.err().endsWith(", not a regular file; refusing to replace it\n"), r.err());
      assertTrue(SpecialFiles.stillSpecial(special), special + " replaced");
    }
    // secrets.config in the rig file: the same, naming the rig file.
    write(proj.resolve("testrig.yml"), "secrets: {config: ../pipe}\ntemplates:\n  - from: tpl\n");
    Cli.Result r = inRig(proj, "secrets", "rotate", "password.db.app");
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "testrig: "
                    + proj.resolve("testrig.yml")
                    + ": secrets.config "
                    + fifo
                    + ": is a FIFO"),
        r.err());
    assertTrue(SpecialFiles.stillSpecial(fifo));
  }
}

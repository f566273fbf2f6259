package io.testrig.secrets;

import static io.testrig.Fixtures.mode;
import static io.testrig.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.Fixtures;
import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirTest {
  @TempDir Path tmp;

  private Rig rig(String dir) {
    return Fixtures.rig(write(tmp.resolve(dir).resolve("testrig.yml"), "name: demo\n"));
  }

  @Test
  void ephemeralDirIsUnderXdgRuntimeDirStablePerRigAndPerConfig() {
    Path xdg = tmp.resolve("xdg");
    xdg.toFile().mkdirs();
    Map<String, String> env = Map.of("XDG_RUNTIME_DIR", xdg.toString());
    Rig a = rig("a");
    Path p1 = RunDir.locate(a, null, null, env).path();
    assertEquals(p1, RunDir.locate(a, null, null, env).path(), "stable for the same rig file");
    assertEquals(xdg.resolve("testrig"), p1.getParent());
    assertTrue(p1.getFileName().toString().matches("demo-[0-9a-f]{12}"), p1.toString());
    assertEquals("rwx------", mode(xdg.resolve("testrig")));
    assertNotEquals(p1, RunDir.locate(rig("b"), null, null, env).path(), "another rig file");
    Path pg16 = RunDir.locate(a, null, "pg=16,ssl=on", env).path();
    assertEquals(p1.getFileName() + "-pg_16_ssl_on", pg16.getFileName().toString());
  }

  @Test
  void withoutXdgItUsesDevShm() {
    Path p = RunDir.locate(rig("a"), null, null, Map.of()).path();
    assertTrue(p.startsWith("/dev/shm"), p.toString());
    assertTrue(p.getParent().getFileName().toString().startsWith("testrig-"), p.toString());
  }

  @Test
  void resolveCreates0700WithMarkerAndCertsDir() {
    RunDir d = RunDir.resolve(rig("a"), tmp.resolve("run"));
    assertTrue(d.createdNow());
    assertEquals("rwx------", mode(d.path()));
    assertTrue(Files.exists(d.path().resolve(RunDir.MARKER)));
    assertEquals(d.path().resolve("certs"), d.certsDir());
    assertFalse(RunDir.resolve(rig("a"), tmp.resolve("run")).createdNow());
  }

  @Test
  void wipeRemovesEverythingAndIsIdempotent() throws Exception {
    RunDir d = RunDir.resolve(rig("a"), tmp.resolve("run"));
    write(d.path().resolve("config.json"), "{}");
    write(d.certsDir().resolve("ca.key"), "key");
    write(d.path().resolve("etc/deep/app.ini"), "x");
    d.wipe();
    assertFalse(Files.exists(d.path()));
    d.wipe();
    assertFalse(Files.exists(d.path()));
  }

  @Test
  void wipeRemovesLinksButNeverWhatTheyPointTo() throws Exception {
    Path outsideFile = write(tmp.resolve("outside/precious.txt"), "keep me");
    RunDir d = RunDir.resolve(rig("a"), tmp.resolve("run"));
    Files.createSymbolicLink(d.path().resolve("file-link"), outsideFile);
    Files.createSymbolicLink(d.path().resolve("dir-link"), outsideFile.getParent());
    d.wipe();
    assertFalse(Files.exists(d.path()));
    assertEquals("keep me", Files.readString(outsideFile));
  }

  @Test
  void wipeRefusesADirectoryTestrigDidNotMake() throws Exception {
    Path repo = tmp.resolve("repo");
    write(repo.resolve("src/Main.java"), "class Main {}");
    RunDir d = RunDir.locate(rig("a"), repo, null);
    TestrigException e = assertThrows(TestrigException.class, d::wipe);
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(Files.exists(repo.resolve("src/Main.java")));
    e = assertThrows(TestrigException.class, () -> RunDir.resolve(rig("a"), repo));
    assertTrue(e.getMessage().contains("refusing"), e.getMessage());
  }

  @Test
  void wipeRefusesARunDirThatIsALink() throws Exception {
    Path real = tmp.resolve("real");
    RunDir.resolve(rig("a"), real);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    TestrigException e =
        assertThrows(TestrigException.class, () -> RunDir.locate(rig("a"), link, null).wipe());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertTrue(Files.exists(real.resolve(RunDir.MARKER)));
  }

  @Test
  void deleteInsideRefusesPathsOutside() {
    RunDir d = RunDir.resolve(rig("a"), tmp.resolve("run"));
    Path outside = write(tmp.resolve("other.txt"), "x");
    assertThrows(TestrigException.class, () -> d.deleteInside(outside));
    assertThrows(TestrigException.class, () -> d.deleteInside(d.path().resolve("../other.txt")));
    assertTrue(Files.exists(outside));
  }
}

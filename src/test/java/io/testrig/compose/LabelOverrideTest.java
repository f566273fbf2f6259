package io.testrig.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.engine.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7 item 8: where the labels override goes, and gc's sweep of orphaned temp directories. */
class LabelOverrideTest {
  @TempDir Path tmp;

  @Test
  void inARunDirectoryItIsAFileThereAndNoTempDirectory() throws Exception {
    Path runDir = Files.createDirectory(tmp.resolve("run"));
    LabelOverride o = LabelOverride.write(runDir, "testrig-abc", "{\"services\":{}}");
    assertEquals(runDir.resolve(".testrig-compose-testrig-abc.labels.json"), o.file());
    assertEquals("{\"services\":{}}", Files.readString(o.file()));
    assertEquals(List.of(o.file()), listAll(tmp), "nothing beside it");
    o.delete();
    assertFalse(Files.exists(o.file()));
  }

  @Test
  void aLinkPlantedInTheRunDirectoryIsReplacedNotFollowed() throws Exception {
    Path runDir = Files.createDirectory(tmp.resolve("run"));
    Path elsewhere = Files.writeString(tmp.resolve("elsewhere.txt"), "keep");
    Files.createSymbolicLink(runDir.resolve(".testrig-compose-p.labels.json"), elsewhere);
    LabelOverride o = LabelOverride.write(runDir, "p", "{}");
    assertFalse(Files.isSymbolicLink(o.file()));
    assertEquals("keep", Files.readString(elsewhere));
  }

  @Test
  void withoutARunDirectoryTheTempDirectoryGoesOnDelete() {
    LabelOverride o = LabelOverride.write(null, "p", "{}");
    Path dir = o.file().getParent();
    assertTrue(dir.getFileName().toString().startsWith("testrig-compose-"));
    o.delete();
    assertFalse(Files.exists(dir));
  }

  @Test
  void sweepRemovesDirectoriesWhoseOwnerIsGoneAndKeepsLiveAndFreshUnownedOnes() throws Exception {
    Process dead = new ProcessBuilder("sleep", "30").start();
    String deadOwner = Labels.owner(dead.toHandle());
    dead.destroyForcibly();
    assertTrue(dead.waitFor(10, TimeUnit.SECONDS));
    Path gone = override(tmp, "testrig-compose-1", deadOwner);
    Path live = override(tmp, "testrig-compose-2", Labels.owner(ProcessHandle.current()));
    Path freshUnowned = Files.createDirectory(tmp.resolve("testrig-compose-3"));
    Path oldUnowned = Files.createDirectory(tmp.resolve("testrig-compose-4"));
    Files.setLastModifiedTime(oldUnowned, FileTime.from(Instant.now().minusSeconds(7200)));
    Path other = Files.createDirectory(tmp.resolve("not-testrig"));

    List<Path> removed = LabelOverride.sweep(tmp);

    assertEquals(List.of(gone, oldUnowned), removed.stream().sorted().toList());
    assertFalse(Files.exists(gone));
    assertTrue(Files.exists(live));
    assertTrue(Files.exists(freshUnowned));
    assertTrue(Files.exists(other));
    assertEquals(List.of(), LabelOverride.sweep(tmp), "idempotent");
  }

  private static Path override(Path base, String name, String owner) throws Exception {
    Path d = Files.createDirectory(base.resolve(name));
    Files.writeString(
        d.resolve(LabelOverride.TEMP_FILE),
        "{\"services\":{\"db\":{\"labels\":{\"" + Labels.OWNER + "\":\"" + owner + "\"}}}}");
    return d;
  }

  private static List<Path> listAll(Path base) throws Exception {
    try (var s = Files.walk(base)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}

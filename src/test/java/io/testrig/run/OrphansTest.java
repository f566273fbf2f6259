package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.engine.KeepMarker;
import io.testrig.engine.Labels;
import io.testrig.secrets.RunDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class OrphansTest {
  @Test
  void sweepWipesDirectoriesOfGoneOwnersOnly() throws Exception {
    Path base = RunDir.ephemeralBase();
    String tag = "orphans-test-" + UUID.randomUUID();
    Path dead = base.resolve(tag + "-dead");
    Path alive = base.resolve(tag + "-alive");
    Path unowned = base.resolve(tag + "-unowned");
    try {
      for (Path d : new Path[] {dead, alive, unowned}) {
        Files.createDirectory(d);
        Files.writeString(d.resolve(RunDir.MARKER), "x");
        Files.writeString(d.resolve("config.json"), "{\"password\":{\"a\":\"s3cr3t-value\"}}");
      }
      // A pid that cannot be running: above the kernel's maximum (pid_max is at most 2^22).
      String self = Labels.owner(ProcessHandle.current());
      String host = self.substring(0, self.indexOf('/'));
      Files.writeString(dead.resolve(Orphans.OWNER_FILE), host + "/99999999/1000\n");
      Orphans.claim(RunDir.locate(null, alive, null));
      Orphans.Swept swept = Orphans.sweep();
      assertTrue(swept.wiped().contains(dead), swept.toString());
      assertFalse(Files.exists(dead));
      assertTrue(Files.exists(alive.resolve("config.json")), "a live run keeps its secrets");
      assertTrue(Files.exists(unowned.resolve("config.json")), "render/secrets dirs are not runs");
    } finally {
      RunDir.locate(null, alive, null).wipe();
      RunDir.locate(null, unowned, null).wipe();
      RunDir.locate(null, dead, null).wipe();
    }
  }

  /**
   * A stack kept until its time-to-live (issue 12, item 1): its run directory outlives its dead
   * owner until the marker expires, then goes whatever the owner; a dry run wipes nothing; a scope
   * limits the sweep.
   */
  @Test
  void keptDirectoriesWaitForTheirTimeToLive() throws Exception {
    Path base = RunDir.ephemeralBase();
    Files.createDirectories(base);
    String tag = "orphans-ttl-" + UUID.randomUUID();
    Path kept = base.resolve(tag + "-kept");
    Path expired = base.resolve(tag + "-expired");
    Path dead = base.resolve(tag + "-dead");
    String self = Labels.owner(ProcessHandle.current());
    String host = self.substring(0, self.indexOf('/'));
    Instant now = Instant.now();
    try {
      for (Path d : new Path[] {kept, expired, dead}) {
        Files.createDirectory(d);
        Files.writeString(d.resolve(RunDir.MARKER), "x");
        Files.writeString(d.resolve(Orphans.OWNER_FILE), host + "/99999999/1000\n");
      }
      Orphans.claim(RunDir.locate(null, expired, null));
      KeepMarker.write(kept, new KeepMarker("testrig-kept", now.plusSeconds(3600), null));
      KeepMarker.write(expired, new KeepMarker("testrig-old", now.minusSeconds(1), null));
      Predicate<Path> mine = d -> d.getFileName().toString().startsWith(tag);

      Orphans.Swept dry = Orphans.sweep(mine, true, now);
      assertEquals(List.of(dead, expired), sorted(dry.wiped()));
      assertTrue(Files.exists(dead) && Files.exists(expired), "a dry run wipes nothing");

      Orphans.Swept scoped = Orphans.sweep(d -> d.equals(dead), false, now);
      assertEquals(List.of(dead), scoped.wiped());
      assertTrue(Files.exists(expired), "outside the scope");

      Orphans.Swept swept = Orphans.sweep(mine, false, now);
      assertEquals(List.of(expired), swept.wiped());
      assertTrue(Files.exists(kept.resolve(RunDir.MARKER)), "unexpired: kept, owner gone or not");
      assertFalse(Files.exists(expired));
      assertFalse(
          Orphans.sweep(mine, false, now.plusSeconds(3600)).wiped().isEmpty(), "then it expires");
      assertFalse(Files.exists(kept));
    } finally {
      for (Path d : new Path[] {kept, expired, dead}) {
        if (Files.exists(d)) {
          RunDir.locate(null, d, null).wipe();
        }
      }
    }
  }

  private static List<Path> sorted(List<Path> l) {
    return l.stream().sorted().toList();
  }
}

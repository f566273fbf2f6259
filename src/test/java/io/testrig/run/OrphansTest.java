package io.testrig.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.testrig.engine.Labels;
import io.testrig.secrets.RunDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
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
}

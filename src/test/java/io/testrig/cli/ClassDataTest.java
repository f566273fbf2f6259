package io.testrig.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataTest {
  @TempDir Path dir;

  private final long pid = ProcessHandle.current().pid();

  @Test
  void aRunThatWentTheWholeWayMarksItsDumpAndRemovesThePartialArchive() throws Exception {
    for (int code : new int[] {0, 1}) {
      Path ok = dir.resolve("k-up.jsa." + pid + ".tmp.ok");
      Path partial = Files.writeString(dir.resolve("k-up.partial.jsa"), "x");
      ClassData.ended(code, ok.toString(), partial.toString());
      assertTrue(Files.exists(ok), "exit " + code);
      assertFalse(Files.exists(partial), "exit " + code);
      Files.delete(ok);
    }
  }

  @Test
  void aFailedRunLeavesBothAlone() throws Exception {
    Path ok = dir.resolve("k-up.jsa." + pid + ".tmp.ok");
    Path partial = Files.writeString(dir.resolve("k-up.partial.jsa"), "x");
    for (int code : new int[] {2, 3, 4, 5, 70, 130}) {
      ClassData.ended(code, ok.toString(), partial.toString());
      assertFalse(Files.exists(ok), "exit " + code);
      assertTrue(Files.exists(partial), "exit " + code);
    }
  }

  @Test
  void onlyTheLaunchersNamesAreTouched() throws Exception {
    Path other = Files.writeString(dir.resolve("notes.txt"), "keep");
    Path target = Files.writeString(dir.resolve("target.partial.jsa.data"), "keep");
    Path link = Files.createSymbolicLink(dir.resolve("k-up.partial.jsa"), target);
    // Another process's marker name, a name without the suffix, and a link: all left as they are.
    Path otherPid = dir.resolve("k-up.jsa." + (pid + 1) + ".tmp.ok");
    ClassData.ended(0, otherPid.toString(), other.toString());
    ClassData.ended(0, dir.resolve("k-up.ok").toString(), link.toString());
    assertFalse(Files.exists(otherPid));
    assertFalse(Files.exists(dir.resolve("k-up.ok")));
    assertTrue(Files.exists(other));
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(Files.exists(target));
    // No properties (a JVM not started by bin/testrig) and an unwritable place: no failure.
    ClassData.ended(0, null, null);
    ClassData.ended(0, dir.resolve("no/such/k-up.jsa." + pid + ".tmp.ok").toString(), null);
  }
}

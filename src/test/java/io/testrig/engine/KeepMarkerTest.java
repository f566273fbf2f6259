package io.testrig.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepMarkerTest {
  @Test
  void writeReadListRemove(@TempDir Path dir) throws Exception {
    Instant t = Instant.ofEpochSecond(2_000_000_000L);
    KeepMarker a = new KeepMarker("testrig-a", t, "/repo/testrig.yml");
    KeepMarker b = new KeepMarker("testrig-b", t.plusSeconds(60), null);
    KeepMarker.write(dir, b);
    KeepMarker.write(dir, a);
    assertEquals(Optional.of(a), KeepMarker.read(dir, "testrig-a"));
    assertEquals(List.of(a, b), KeepMarker.list(dir));
    assertTrue(a.expired(t));
    assertFalse(a.expired(t.minusSeconds(1)));
    KeepMarker.remove(dir, "testrig-a");
    assertEquals(List.of(b), KeepMarker.list(dir));
  }

  @Test
  void unreadableOrMismatchedMarkersAreIgnored(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".testrig-keep-x"), "project=y\nexpires=1\n");
    Files.writeString(dir.resolve(".testrig-keep-z"), "project=z\nexpires=soon\n");
    Files.createSymbolicLink(dir.resolve(".testrig-keep-l"), dir.resolve(".testrig-keep-z"));
    assertEquals(List.of(), KeepMarker.list(dir));
    assertEquals(Optional.empty(), KeepMarker.read(dir, "../x"));
    assertEquals(List.of(), KeepMarker.list(dir.resolve("missing")));
  }
}

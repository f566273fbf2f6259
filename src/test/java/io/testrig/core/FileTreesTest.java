package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void deletesTheTreeButNeverWhatALinkPointsTo() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Path root = Files.createDirectories(tmp.resolve("root/a/b"));
    Files.writeString(root.resolve("f.txt"), "x");
    Files.createSymbolicLink(tmp.resolve("root/a/link"), outside);
    Files.createSymbolicLink(tmp.resolve("root/dangling"), tmp.resolve("nowhere"));

    FileTrees.deleteTree(tmp.resolve("root"));

    assertFalse(Files.exists(tmp.resolve("root"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("keep.txt")));
  }

  @Test
  void aRootThatIsALinkIsRemovedAsALink() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("target"));
    Files.writeString(target.resolve("keep.txt"), "keep");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);

    FileTrees.deleteTree(link);

    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(target.resolve("keep.txt")));
  }

  @Test
  void aMissingRootIsReported() {
    assertThrows(NoSuchFileException.class, () -> FileTrees.deleteTree(tmp.resolve("missing")));
  }

  @Test
  void theDeleterSeesChildrenBeforeTheirDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("r/d"));
    Files.writeString(root.resolve("f"), "x");
    List<Path> seen = new ArrayList<>();
    FileTrees.deleteTree(
        tmp.resolve("r"),
        p -> {
          seen.add(tmp.relativize(p));
          Files.delete(p);
        });
    assertEquals(List.of(Path.of("r/d/f"), Path.of("r/d"), Path.of("r")), seen);
  }
}

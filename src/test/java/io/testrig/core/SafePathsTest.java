package io.testrig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafePathsTest {
  @TempDir Path tmp;

  private String refused(Path p) {
    TestrigException e =
        assertThrows(TestrigException.class, () -> SafePaths.requireFileTarget(p, "--config"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    return e.getMessage();
  }

  @Test
  void regularFilesAndMissingNamesInDirectoriesAreAccepted() throws IOException {
    SafePaths.requireFileTarget(Files.writeString(tmp.resolve("a.json"), "{}"), "--config");
    SafePaths.requireFileTarget(tmp.resolve("new.json"), "--config");
    SafePaths.requireFileTarget(tmp.resolve("state/deeper/new.json"), "--config");
  }

  @Test
  void everythingElseIsRefusedNamingThePathAndWhatItIs() throws IOException {
    Path fifo = SpecialFiles.fifo(tmp.resolve("pipe"));
    assertEquals(
        "--config " + fifo + ": is a FIFO, not a regular file; refusing to replace it",
        refused(fifo));
    Path dev = SpecialFiles.charDevice(tmp.resolve("null"));
    assertEquals(true, refused(dev).matches(".*: is a (character device|socket), not a .*"));
    Path dir = Files.createDirectory(tmp.resolve("d"));
    assertEquals(
        "--config " + dir + ": is a directory, not a regular file; refusing to replace it",
        refused(dir));
    Path link = Files.createSymbolicLink(tmp.resolve("l"), Files.writeString(tmp.resolve("t"), ""));
    assertEquals(
        "--config " + link + ": is a symbolic link, not a regular file; refusing to replace it",
        refused(link));
    Path file = Files.writeString(tmp.resolve("f"), "");
    assertEquals(
        "--config " + file.resolve("x.json") + ": " + file + " is a regular file, not a directory",
        refused(file.resolve("x.json")));
  }
}

package io.testrig.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The launcher's class-data archives (bin/testrig) learn from how a command ended. A command's
 * archive is dumped by its first run, and a run that failed early (no engine yet, a typo in the rig
 * file: a new user's usual first run) loaded only the classes of its error path: of the 2,840
 * classes of a good {@code up}, an archive from an {@code up} that found no rig file left 535 to be
 * read from the jar on every later run, one from an {@code up} that found no engine 245 (issue 11).
 * So the launcher keeps the dump of a failed run only as a partial archive, and:
 *
 * <ul>
 *   <li>a dumping run that ran its whole path (exit 0, or 1: the tests ran and failed) creates the
 *       marker the launcher names in {@value #OK}, and the launcher adopts its dump as the
 *       command's archive;
 *   <li>a run that mapped a partial archive (named in {@value #PARTIAL}) and ran its whole path
 *       removes it, so the next run dumps the whole path.
 * </ul>
 *
 * Both names must have the launcher's suffixes; anything else is left alone.
 */
final class ClassData {
  /** The system property with the marker file to create; bin/testrig sets it. */
  static final String OK = "testrig.classdata.ok";

  /** The system property with the partial archive the JVM maps; bin/testrig sets it. */
  static final String PARTIAL = "testrig.classdata.partial";

  private ClassData() {}

  /** Called once the command has ended with {@code exitCode}. Never fails the command. */
  static void ended(int exitCode, String okMarker, String partialArchive) {
    if (exitCode != 0 && exitCode != 1) {
      return;
    }
    try {
      if (okMarker != null
          && okMarker.endsWith(".jsa." + ProcessHandle.current().pid() + ".tmp.ok")) {
        Files.createFile(Path.of(okMarker));
      }
      if (partialArchive != null && partialArchive.endsWith(".partial.jsa")) {
        Path p = Path.of(partialArchive);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // No marker: the launcher keeps the dump as a partial archive; no removal: the partial one
      // stays. Either way the next run starts as before.
    }
  }
}

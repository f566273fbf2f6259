package io.testrig.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testrig.core.FileTrees;
import io.testrig.core.TestrigException;
import io.testrig.engine.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compose override file that adds testrig's labels to every service, network and volume. It
 * lives in the run directory when there is one (wiped with the secrets on every path, SIGKILL
 * included via {@code gc}'s run-directory sweep), else in a private {@code testrig-compose-*}
 * directory under java.io.tmpdir that teardown deletes and {@link #sweep} removes once its owner is
 * gone (issue 7, item 8: these directories were left by up, down, interrupts and tests).
 */
final class LabelOverride {
  /** Prefix of the temp directories (and of the file's name inside a run directory). */
  static final String PREFIX = "testrig-compose-";

  static final String TEMP_FILE = "testrig.labels.json";

  /** A temp directory without a readable owner is left alone until it is this old. */
  static final Duration UNOWNED_AGE = Duration.ofHours(1);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Path tempDir;

  private LabelOverride(Path file, Path tempDir) {
    this.file = file;
    this.tempDir = tempDir;
  }

  /** Writes the override for {@code project}: in {@code stateDir}, or a fresh temp dir if null. */
  static LabelOverride write(Path stateDir, String project, String json) {
    try {
      if (stateDir != null) {
        Path f = stateDir.resolve("." + PREFIX + project + ".labels.json");
        // A stale file of an earlier stack with this project name goes; a link is removed as a
        // link, and CREATE_NEW never follows one an attacker might plant meanwhile.
        Files.deleteIfExists(f);
        Files.writeString(
            f,
            json,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
        return new LabelOverride(f, null);
      }
      Path dir =
          Files.createTempDirectory(
              PREFIX,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      LabelOverride o = new LabelOverride(dir.resolve(TEMP_FILE), dir);
      try {
        Files.writeString(o.file, json, StandardCharsets.UTF_8);
      } catch (IOException e) {
        o.delete();
        throw e;
      }
      return o;
    } catch (IOException e) {
      throw TestrigException.io("cannot write the compose label override: " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  /** Removes the file (and its temp directory); idempotent, never throws. */
  void delete() {
    try {
      if (tempDir == null) {
        Files.deleteIfExists(file);
      } else {
        FileTrees.deleteTree(tempDir);
      }
    } catch (IOException e) {
      // Holds labels only, no secret; gc's sweep removes a leftover temp directory.
    }
  }

  /**
   * Removes the {@code testrig-compose-*} directories under {@code base} whose owner process (the
   * {@link Labels#OWNER} label inside the file) is gone, and unowned ones older than {@link
   * #UNOWNED_AGE}; returns what it removed.
   */
  static List<Path> sweep(Path base) {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path d : s) {
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) || !orphaned(d)) {
          continue;
        }
        try {
          FileTrees.deleteTree(d);
          removed.add(d);
        } catch (IOException e) {
          // Another user's directory, or removed meanwhile: not ours to report.
        }
      }
    } catch (IOException e) {
      return removed;
    }
    return removed;
  }

  /** {@link #sweep} of java.io.tmpdir, where {@link #write} puts them. */
  public static List<Path> sweep() {
    return sweep(Path.of(System.getProperty("java.io.tmpdir")));
  }

  private static boolean orphaned(Path dir) {
    Path f = dir.resolve(TEMP_FILE);
    try {
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        JsonNode owner = JSON.readTree(f.toFile()).findValue(Labels.OWNER);
        if (owner != null && owner.isTextual()) {
          return Labels.ownerGone(owner.asText());
        }
      }
      FileTime t = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
      return t.toInstant().plus(UNOWNED_AGE).isBefore(Instant.now());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}

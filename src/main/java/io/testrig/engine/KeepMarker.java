package io.testrig.engine;

import io.testrig.core.TestrigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack that belongs to the developer until a time-to-live ({@code testrig up --ttl}, {@code
 * testrig run --keep}): a file {@code .testrig-keep-<project>} in the stack's run directory,
 * written once the stack is ready. The stack's resources carry {@link Labels#RUN_DIR}, so {@code
 * testrig gc} finds the marker and leaves the stack (and the run directory's secrets) alone until
 * it expires, whatever happened to the process that brought it up. A stack whose bring-up was
 * killed has no marker and is garbage as soon as its owner is gone, as before (issue 12, item 1).
 *
 * @param project the compose project
 * @param expires when gc may remove it
 * @param rig the rig file it came from (may be null)
 */
public record KeepMarker(String project, Instant expires, String rig) {
  static final String PREFIX = ".testrig-keep-";

  /** Whether gc may remove the stack at {@code now}. */
  public boolean expired(Instant now) {
    return !expires.isAfter(now);
  }

  /**
   * Writes (or replaces) the marker for {@code project} in {@code runDir}; never through a link.
   */
  public static void write(Path runDir, KeepMarker m) {
    String text =
        "project="
            + m.project()
            + "\nexpires="
            + m.expires().getEpochSecond()
            + "\nrig="
            + (m.rig() == null ? "" : m.rig())
            + "\n";
    Path f = runDir.resolve(PREFIX + m.project());
    try {
      Files.deleteIfExists(f);
      Files.writeString(
          f,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw TestrigException.io(f + ": cannot record the stack's time-to-live: " + e, e);
    }
  }

  /** The marker of {@code project} in {@code runDir}, if there is a readable one. */
  public static Optional<KeepMarker> read(Path runDir, String project) {
    if (runDir == null || project == null || project.contains("/")) {
      return Optional.empty();
    }
    return parse(runDir.resolve(PREFIX + project));
  }

  /** Every readable marker in {@code runDir}, sorted by project. */
  public static List<KeepMarker> list(Path runDir) {
    List<KeepMarker> out = new ArrayList<>();
    if (runDir == null || !Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(runDir, PREFIX + "*")) {
      for (Path f : s) {
        parse(f).ifPresent(out::add);
      }
    } catch (IOException e) {
      return out;
    }
    out.sort((a, b) -> a.project().compareTo(b.project()));
    return out;
  }

  /** Removes the marker of {@code project} (after {@code down}); idempotent. */
  public static void remove(Path runDir, String project) {
    try {
      Files.deleteIfExists(runDir.resolve(PREFIX + project));
    } catch (IOException e) {
      // The run directory is wiped with it, or gc removes it once expired.
    }
  }

  private static Optional<KeepMarker> parse(Path f) {
    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Map<String, String> kv = new LinkedHashMap<>();
    try {
      if (Files.size(f) > 8192) {
        return Optional.empty();
      }
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      String project = kv.get("project");
      if (project == null || !f.getFileName().toString().equals(PREFIX + project)) {
        return Optional.empty();
      }
      Instant expires = Instant.ofEpochSecond(Long.parseLong(kv.getOrDefault("expires", "")));
      String rig = kv.getOrDefault("rig", "");
      return Optional.of(new KeepMarker(project, expires, rig.isEmpty() ? null : rig));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

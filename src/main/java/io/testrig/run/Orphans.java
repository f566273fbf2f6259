package io.testrig.run;

import io.testrig.engine.KeepMarker;
import io.testrig.engine.Labels;
import io.testrig.secrets.RunDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Run directories of {@code testrig run}s that died without their cleanup (SIGKILL, OOM, a lost
 * machine): each holds config.json and private keys. A run writes its owner ({@link Labels#owner},
 * the same value as its containers' label) into {@value #OWNER_FILE}, so {@code testrig gc} can
 * wipe the directories whose owner process is gone, as it removes their containers.
 */
public final class Orphans {
  /** The owning process, as {@code <hostname>/<pid>/<start epoch ms>}. */
  static final String OWNER_FILE = ".testrig-owner";

  private Orphans() {}

  /** Marks a run directory as owned by this process. */
  static void claim(RunDir dir) {
    claim(dir, ProcessHandle.current());
  }

  /**
   * Marks a run directory as owned by {@code owner}: {@code testrig up} names the calling shell,
   * which also owns the stack, so once that shell is gone gc wipes both.
   */
  static void claim(RunDir dir, ProcessHandle owner) {
    try {
      // NOFOLLOW_LINKS (O_NOFOLLOW): an adopted run directory may hold a planted link.
      Files.writeString(
          dir.path().resolve(OWNER_FILE),
          Labels.owner(owner) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      // Only gc's sweep needs it; the run itself wipes the directory in every other case.
    }
  }

  /** What a sweep did: directories wiped, and why others could not be. */
  public record Swept(List<Path> wiped, List<String> kept) {}

  /**
   * Wipes every run directory under the ephemeral base ({@link RunDir#ephemeralBase()}) whose owner
   * is gone; directories without an owner file (render, secrets) are left alone.
   */
  public static Swept sweep() {
    return sweep(d -> true, false, Instant.now());
  }

  /**
   * As {@link #sweep()}, only for directories {@code only} accepts ({@code gc --project/--rig});
   * with {@code dryRun} nothing is wiped and {@code wiped} names what would be. A directory holding
   * an unexpired {@link KeepMarker} (a stack kept until its time-to-live) is left alone; once every
   * marker in it expired it is wiped whatever its owner.
   */
  public static Swept sweep(Predicate<Path> only, boolean dryRun, Instant now) {
    List<Path> wiped = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    Path base = RunDir.ephemeralBase();
    List<Path> dirs;
    try (Stream<Path> s = Files.list(base)) {
      dirs = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException e) {
      return new Swept(wiped, kept);
    }
    for (Path d : dirs) {
      if (!only.test(d) || !orphaned(d, now)) {
        continue;
      }
      if (dryRun) {
        wiped.add(d);
        continue;
      }
      try {
        RunDir.locate(null, d, null).wipe();
        wiped.add(d);
      } catch (RuntimeException e) {
        kept.add(d + ": " + e.getMessage());
      }
    }
    return new Swept(wiped, kept);
  }

  /** Kept stacks decide by their time-to-live; other run directories by their owner file. */
  private static boolean orphaned(Path d, Instant now) {
    List<KeepMarker> markers = KeepMarker.list(d);
    if (!markers.isEmpty()) {
      return markers.stream().allMatch(m -> m.expired(now));
    }
    String owner;
    try {
      owner = Files.readString(d.resolve(OWNER_FILE), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return false;
    }
    return Labels.ownerGone(owner);
  }
}

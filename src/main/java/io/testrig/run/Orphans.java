package io.testrig.run;

import io.testrig.engine.Labels;
import io.testrig.secrets.RunDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
      String owner;
      try {
        owner = Files.readString(d.resolve(OWNER_FILE), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        continue;
      }
      if (Labels.ownerGone(owner)) {
        try {
          RunDir.locate(null, d, null).wipe();
          wiped.add(d);
        } catch (RuntimeException e) {
          kept.add(d + ": " + e.getMessage());
        }
      }
    }
    return new Swept(wiped, kept);
  }
}

package io.testrig.secrets;

import io.testrig.core.FileTrees;
import io.testrig.core.TestrigException;
import io.testrig.rig.Rig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run directory: config.json (unless a persistent one is used), certs/ and rendered files.
 *
 * <p>By default it is ephemeral, on a RAM-backed file system so secrets never reach a disk: {@code
 * $XDG_RUNTIME_DIR/testrig/} (per-user, 0700, tmpfs; see the XDG Base Directory spec), else {@code
 * /dev/shm/testrig-<uid>/}, else {@code <java.io.tmpdir>/testrig-<uid>/}. Inside it, one directory
 * per rig file, named {@code <rig name>-<12 hex of sha256(absolute rig path)>} (plus {@code
 * -<config>} for a matrix config), so {@code render} and a later {@code secrets wipe} find the same
 * directory.
 *
 * <p>A marker file {@value #MARKER} says "testrig made this"; {@link #wipe()} refuses a directory
 * without it, so {@code --run-dir .} can never delete a user's repository.
 */
public final class RunDir {
  /** Present in every run directory testrig created or adopted. */
  public static final String MARKER = ".testrig-run";

  private final Path path;
  private final boolean createdNow;

  private RunDir(Path path, boolean createdNow) {
    this.path = path;
    this.createdNow = createdNow;
  }

  /**
   * The run directory for a rig: {@code override} when given, else an ephemeral 0700 directory
   * under $XDG_RUNTIME_DIR or /dev/shm (else a temp dir), stable for the same rig file so separate
   * commands (render, then secrets wipe) find it again. Creates it (0700, with the marker).
   */
  public static RunDir resolve(Rig rig, Path override) {
    return resolve(rig, override, null);
  }

  /** As {@link #resolve(Rig, Path)}, for one matrix config: {@code configSuffix} names it. */
  public static RunDir resolve(Rig rig, Path override, String configSuffix) {
    return create(locate(rig, override, configSuffix, System.getenv()));
  }

  /** The run directory's path without creating it (for show and wipe). */
  public static RunDir locate(Rig rig, Path override, String configSuffix) {
    return locate(rig, override, configSuffix, System.getenv());
  }

  static RunDir locate(Rig rig, Path override, String configSuffix, Map<String, String> env) {
    Path dir;
    if (override != null) {
      dir = override.toAbsolutePath().normalize();
    } else {
      String leaf =
          sanitize(rig.displayName()) + "-" + hash(rig.file() == null ? rig.dir() : rig.file());
      dir = ephemeralBase(env).resolve(leaf);
    }
    if (configSuffix != null && !configSuffix.isBlank()) {
      dir = dir.resolveSibling(dir.getFileName() + "-" + sanitize(configSuffix));
    }
    return new RunDir(dir, false);
  }

  public Path path() {
    return path;
  }

  /** Where certificates and keys go: {@code <run dir>/certs}. */
  public Path certsDir() {
    return path.resolve("certs");
  }

  /** The ephemeral config.json: {@code <run dir>/config.json}. */
  public Path configFile() {
    return path.resolve("config.json");
  }

  /** True when this invocation created the directory (a failed render then removes it again). */
  public boolean createdNow() {
    return createdNow;
  }

  /**
   * Checks that writing {@code target} (a path inside the run directory) follows no symbolic link:
   * every component from the run directory down to {@code target}, the target included, must be a
   * real directory (or, for the target, a regular file) or missing. An adopted run directory
   * ({@code --run-dir}) may hold links planted by anyone who could write there, and a write through
   * {@code <run dir>/postgres -> /elsewhere} would put rendered secrets or keys elsewhere (issue 7,
   * item 2). The run directory is 0700 and ours, so nothing can change between check and write.
   *
   * @throws TestrigException exit 2 naming the link
   */
  public void requireNoLinks(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    if (!abs.startsWith(path)) {
      throw TestrigException.badInput(abs + ": outside the run directory " + path + "; refusing");
    }
    Path p = path;
    for (Path part : path.relativize(abs)) {
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw TestrigException.badInput(
            p + ": is a symbolic link inside the run directory; testrig never writes through one");
      }
      if (!p.equals(abs)
          && Files.exists(p, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw TestrigException.badInput(p + ": expected a directory inside the run directory");
      }
    }
  }

  public boolean exists() {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Removes the run directory and everything in it (config.json, keys, rendered files); idempotent.
   * Never follows a symbolic link: a link inside is removed as a link, and a run directory that is
   * itself a link, or lacks the marker, is refused.
   */
  public void wipe() {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(path)) {
      throw TestrigException.badInput(
          path + ": run directory is a symbolic link; refusing to wipe");
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw TestrigException.badInput(
          path + ": run directory is not a directory; refusing to wipe");
    }
    if (!Files.exists(path.resolve(MARKER), LinkOption.NOFOLLOW_LINKS) && !isEmpty(path)) {
      throw TestrigException.badInput(
          path + ": not a testrig run directory (no " + MARKER + "); refusing to wipe");
    }
    try {
      FileTrees.deleteTree(
          path,
          entry -> {
            // The marker goes last but one, so an interrupted wipe can be resumed.
            if (entry.equals(path)) {
              Files.deleteIfExists(path.resolve(MARKER));
            }
            deleteInside(entry);
          });
    } catch (NoSuchFileException e) {
      // Removed concurrently (a second wipe): the goal is reached.
    } catch (DirectoryNotEmptyException e) {
      throw TestrigException.io(path + ": could not wipe, something was added meanwhile", e);
    } catch (IOException e) {
      throw TestrigException.io(path + ": could not wipe: " + e.getMessage(), e);
    }
  }

  /** Deletes one entry, after checking it lies inside the run directory (links not followed). */
  void deleteInside(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    if (!abs.startsWith(path)) {
      throw TestrigException.badInput(abs + ": outside the run directory " + path + "; refusing");
    }
    Path parentReal = abs.equals(path) ? null : abs.getParent().toRealPath();
    if (parentReal != null && !parentReal.startsWith(path.toRealPath())) {
      throw TestrigException.badInput(abs + ": outside the run directory " + path + "; refusing");
    }
    if (abs.getFileName().toString().equals(MARKER) && abs.getParent().equals(path)) {
      return; // removed by postVisitDirectory, right before the directory itself
    }
    Files.deleteIfExists(abs);
  }

  private static RunDir create(RunDir located) {
    Path dir = located.path;
    try {
      boolean created = false;
      if (Files.isSymbolicLink(dir)) {
        throw TestrigException.badInput(dir + ": run directory is a symbolic link; refusing");
      }
      if (!Files.exists(dir)) {
        Path parent = dir.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        created = true;
      } else if (!Files.isDirectory(dir)) {
        throw TestrigException.badInput(dir + ": run directory is not a directory");
      } else if (!Files.exists(dir.resolve(MARKER)) && !isEmpty(dir)) {
        throw TestrigException.badInput(
            dir
                + ": not empty and not a testrig run directory (no "
                + MARKER
                + "); refusing to use it");
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Path marker = dir.resolve(MARKER);
      if (Files.isSymbolicLink(marker)) {
        throw TestrigException.badInput(
            marker
                + ": is a symbolic link inside the run directory; testrig never writes through one");
      }
      if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
        Files.writeString(
            marker,
            "testrig run directory; `testrig secrets wipe` removes it\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      }
      return new RunDir(dir, created);
    } catch (IOException e) {
      throw TestrigException.io(dir + ": cannot create run directory: " + e.getMessage(), e);
    }
  }

  /** Where ephemeral run directories live for this process's environment (created 0700). */
  public static Path ephemeralBase() {
    return ephemeralBase(System.getenv());
  }

  /**
   * The per-user parent of ephemeral run directories, created 0700. In world-writable places
   * (/dev/shm, /tmp) it must be a real directory owned by us: otherwise another user could have
   * planted a link or a readable directory there beforehand.
   */
  static Path ephemeralBase(Map<String, String> env) {
    String uid = uid();
    String xdg = env.get("XDG_RUNTIME_DIR");
    Path base;
    if (xdg != null
        && !xdg.isBlank()
        && Files.isDirectory(Path.of(xdg))
        && Files.isWritable(Path.of(xdg))) {
      base = Path.of(xdg, "testrig");
    } else if (Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))) {
      base = Path.of("/dev/shm", "testrig-" + uid);
    } else {
      base = Path.of(System.getProperty("java.io.tmpdir"), "testrig-" + uid);
    }
    try {
      if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectory(
              base,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // Another testrig process made it; the checks below still apply.
        }
      }
      if (Files.isSymbolicLink(base) || !Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
        throw TestrigException.io(
            base + ": expected a directory, found a link or file; refusing", null);
      }
      Object owner = Files.getAttribute(base, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (!String.valueOf(owner).equals(uid) && !uid.equals("unknown")) {
        throw TestrigException.io(base + ": owned by uid " + owner + ", not by us; refusing", null);
      }
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
      return base.toAbsolutePath();
    } catch (IOException | UnsupportedOperationException e) {
      throw TestrigException.io(
          base + ": cannot prepare run directory parent: " + e.getMessage(), e);
    }
  }

  private static String uid() {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "unknown";
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  static String sanitize(String s) {
    String clean = s.replaceAll("[^A-Za-z0-9_.-]", "_");
    return clean.length() > 40 ? clean.substring(0, 40) : clean;
  }

  private static String hash(Path p) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(p.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}

package io.testrig.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one check before testrig writes a file a user named (issue 7, item 1): {@code --config},
 * {@code secrets.config}, {@code report merge -o}, the report and logs in the artifact directory.
 * testrig writes a temp file and renames it over the target, so without this check {@code --config
 * /dev/null} replaced the device node with a 0600 file full of passwords; and writing into a FIFO
 * blocks forever. A target must be a regular file or a missing name in a real directory; anything
 * else (device, FIFO, socket, directory, symbolic link) is exit 2 naming the path.
 */
public final class SafePaths {
  private SafePaths() {}

  /**
   * Checks that {@code target} may be created or replaced by a regular file.
   *
   * @param what how the user named it, for the message (e.g. {@code --config})
   * @throws TestrigException exit 2: {@code <what> <path>: is a character device, not a regular
   *     file; refusing to replace it}
   */
  public static void requireFileTarget(Path target, String what) {
    Path abs = target.toAbsolutePath().normalize();
    String kind = kind(abs);
    if (kind != null && !kind.equals("regular file")) {
      throw TestrigException.badInput(
          what + " " + abs + ": is a " + kind + ", not a regular file; refusing to replace it");
    }
    if (kind == null) {
      // Missing: its nearest existing ancestor must be a directory (testrig creates the rest).
      Path p = abs.getParent();
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      if (p != null && !Files.isDirectory(p)) {
        throw TestrigException.badInput(
            what + " " + abs + ": " + p + " is a " + kind(p) + ", not a directory");
      }
    }
  }

  /** "regular file", "directory", "symbolic link", "FIFO", "character device"...; null: missing. */
  static String kind(Path p) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
    if (a.isRegularFile()) {
      return "regular file";
    }
    if (a.isDirectory()) {
      return "directory";
    }
    if (a.isSymbolicLink()) {
      return "symbolic link";
    }
    try {
      // unix:mode's file-type bits tell the special files apart (inode(7), S_IFMT).
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return switch (mode & 0170000) {
        case 0010000 -> "FIFO";
        case 0020000 -> "character device";
        case 0060000 -> "block device";
        case 0140000 -> "socket";
        default -> "special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "special file";
    }
  }
}

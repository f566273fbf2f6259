package io.testrig.pki;

import io.testrig.core.TestrigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes files atomically with their final mode from the first byte: the content goes to a
 * temporary file created with the mode (so a key is never readable by others, not even for a
 * moment), then is renamed over the target. Readers never see a half-written certificate.
 */
final class SecureFiles {
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--------");

  private SecureFiles() {}

  static void write(Path target, byte[] content, Set<PosixFilePermission> mode) {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    // Never write through a link (issue 7 item 2): rename(2) replaces a link at the target itself,
    // but a linked parent would put the key elsewhere.
    refuseLink(target.getParent());
    refuseLink(target);
    try {
      Files.deleteIfExists(tmp);
      // Created with owner write even for 0400 files: the mode applies to later opens, this open
      // keeps its write access.
      try (SeekableByteChannel ch =
          Files.newByteChannel(
              tmp,
              EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(mode))) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      // The umask may have narrowed the mode at creation; set exactly what was asked.
      Files.setPosixFilePermissions(tmp, mode);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw TestrigException.io(
          tmp + ": left over by another testrig process writing the same file; retry", e);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Best effort: the original error matters more.
      }
      throw TestrigException.io("cannot write " + target + ": " + e, e);
    }
  }

  /** Creates a directory (and parents) with {@code mode} when missing; keeps an existing one. */
  static void directory(Path dir, Set<PosixFilePermission> mode) {
    refuseLink(dir);
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, mode);
      }
    } catch (IOException e) {
      throw TestrigException.io("cannot create directory " + dir + ": " + e, e);
    }
  }

  static void refuseLink(Path p) {
    if (p != null && Files.isSymbolicLink(p)) {
      throw TestrigException.badInput(
          p + ": is a symbolic link; testrig never writes keys or certificates through one");
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Cleanup after a failure: report the failure, not this.
    }
  }
}

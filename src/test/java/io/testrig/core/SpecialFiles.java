package io.testrig.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Private special files inside a test's temp dir, for checking that testrig refuses to replace or
 * write them. Never a real /dev node (HELPERS.md).
 */
public final class SpecialFiles {
  private SpecialFiles() {}

  /** A named pipe: writing to it blocks until a reader comes, so it must be refused up front. */
  public static Path fifo(Path at) {
    exec("mkfifo", at.toString());
    return at;
  }

  /**
   * A character device (1,3: what /dev/null is) made with mknod, which needs CAP_MKNOD; without it,
   * a Unix socket file stands in: another special file, made without privileges.
   */
  public static Path charDevice(Path at) {
    if (run("mknod", at.toString(), "c", "1", "3") == 0) {
      return at;
    }
    try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(at));
      return at;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file is still there and still not a regular file (nothing replaced it). */
  public static boolean stillSpecial(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static void exec(String... cmd) {
    if (run(cmd) != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed");
    }
  }

  private static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}

package io.testrig;

import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** Copies example rigs from src/test/resources/templates into a temp dir, with known modes. */
public final class Fixtures {
  private Fixtures() {}

  public static Path copy(String name, Path into) {
    try {
      Path src = Path.of(Fixtures.class.getResource("/templates/" + name).toURI());
      Path dst = into.resolve(name);
      try (Stream<Path> s = Files.walk(src)) {
        for (Path p : s.toList()) {
          Path t = dst.resolve(src.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(t);
          } else {
            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(
                t,
                PosixFilePermissions.fromString(
                    t.toString().endsWith(".sh") ? "rwxr-xr-x" : "rw-r--r--"));
          }
        }
      }
      return dst;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a file (creating parents) and returns it. */
  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Rig rig(Path file) {
    return new RigLoader().load(file);
  }

  public static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

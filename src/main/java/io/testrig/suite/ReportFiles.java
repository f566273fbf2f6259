package io.testrig.suite;

import io.testrig.core.Redactor;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import io.testrig.core.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Gets JUnit XML files out of a suite: from the tar stream of Docker's archive endpoint ({@code GET
 * /containers/{id}/archive},
 * https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Container/operation/ContainerArchive),
 * or from a local directory, and masks secrets in them, since everything under the artifact
 * directory must be free of secret values.
 */
final class ReportFiles {
  private ReportFiles() {}

  /**
   * Extracts every regular {@code *.xml} file of a tar whose single top-level entry is the copied
   * directory (Docker names it after the directory's base name) into {@code dest}, keeping the
   * paths below that directory. Entries that would land outside {@code dest} are skipped.
   */
  static List<Path> extractXml(InputStream tar, Path dest, Redactor redactor) throws IOException {
    List<Path> files = new ArrayList<>();
    Path root = dest.toAbsolutePath().normalize();
    // commons-compress (a direct dependency since docker-java left the jar) reads the GNU and PAX
    // long-name forms the engine writes.
    try (TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name())) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (!e.isFile() || !isXml(e.getName())) {
          continue;
        }
        String name = e.getName();
        int slash = name.indexOf('/');
        String rel = slash < 0 ? name : name.substring(slash + 1);
        Path target = root.resolve(rel).normalize();
        if (rel.isEmpty() || !target.startsWith(root) || target.equals(root)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        SafePaths.requireFileTarget(target, "artifact");
        Files.write(target, redact(in.readAllBytes(), redactor));
        files.add(target);
      }
    }
    files.sort(null);
    return files;
  }

  /** Every {@code *.xml} file under {@code dir}, redacted in place. */
  static List<Path> collectLocal(Path dir, Redactor redactor) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> files =
          s.filter(p -> Files.isRegularFile(p) && isXml(p.getFileName().toString()))
              .sorted()
              .toList();
      for (Path f : files) {
        byte[] raw = Files.readAllBytes(f);
        byte[] masked = redact(raw, redactor);
        if (masked != raw) {
          SafePaths.requireFileTarget(f, "artifact");
          Files.write(f, masked);
        }
      }
      return files;
    } catch (IOException e) {
      throw TestrigException.io("cannot read the reports in " + dir + ": " + e.getMessage(), e);
    }
  }

  static boolean isXml(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".xml");
  }

  /**
   * Masks secrets; returns {@code raw} itself when nothing changed, so a file that is not valid
   * UTF-8 keeps its bytes (and the report reader can name the file as malformed).
   */
  static byte[] redact(byte[] raw, Redactor redactor) {
    if (redactor.isEmpty()) {
      return raw;
    }
    // Not UTF-8: decode lossily so secrets are still masked; the file is malformed anyway.
    String text = Text.utf8(raw).orElseGet(() -> new String(raw, StandardCharsets.UTF_8));
    String masked = redactor.redact(text);
    return masked.equals(text) ? raw : masked.getBytes(StandardCharsets.UTF_8);
  }
}

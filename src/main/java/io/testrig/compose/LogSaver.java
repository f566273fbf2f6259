package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.LogOptions;
import io.testrig.backend.Subscription;
import io.testrig.core.Parallel;
import io.testrig.core.Redactor;
import io.testrig.core.SafePaths;
import io.testrig.core.TestrigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saves each service's log with the engine's timestamps, redacted, as {@code <dir>/<service>.log}
 * (replicas: {@code <service>-<n>.log}). The whole log is read first and redacted as one text, so a
 * secret split across two frames is still masked.
 */
final class LogSaver {
  private LogSaver() {}

  /**
   * Saves every log it can; a file that cannot be written (disk full, read-only) does not stop the
   * others, and all such failures come back together as one {@link TestrigException} ({@code
   * IO_FAILURE}) naming each file, so a log left empty or cut short is never silent (issue 7, item
   * 10).
   */
  static void save(
      Backend client, Map<String, List<String>> containers, Path dir, Redactor redactor) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw TestrigException.io("cannot create " + dir + ": " + reason(e), e);
    }
    List<Map.Entry<Path, String>> files = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : containers.entrySet()) {
      List<String> ids = e.getValue();
      for (int i = 0; i < ids.size(); i++) {
        String name = ids.size() == 1 ? e.getKey() : e.getKey() + "-" + (i + 1);
        files.add(Map.entry(dir.resolve(name + ".log"), ids.get(i)));
      }
    }
    // One log per thread: reading a log is a round trip to the engine (issue 11).
    List<IOException> errors =
        Parallel.map(files, f -> write(f.getKey(), redactor.redact(read(client, f.getValue()))));
    List<String> failed = new ArrayList<>();
    IOException first = null;
    for (int i = 0; i < files.size(); i++) {
      IOException ex = errors.get(i);
      if (ex != null) {
        failed.add(
            files.get(i).getKey() + " (" + reason(ex) + "; the file is missing or incomplete)");
        first = first == null ? ex : first;
      }
    }
    if (!failed.isEmpty()) {
      throw TestrigException.io("cannot write " + String.join(", ", failed), first);
    }
  }

  /** Writes one log; the failure, or null. */
  private static IOException write(Path file, String text) {
    SafePaths.requireFileTarget(file, "artifact");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return null;
    } catch (IOException ex) {
      return ex;
    }
  }

  /** The OS's reason (e.g. "No space left on device") without repeating the path. */
  static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  static String read(Backend client, String containerId) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Subscription s =
        client.logs(
            containerId,
            new LogOptions(true, false),
            chunk -> {
              synchronized (buf) {
                buf.writeBytes(chunk.bytes());
              }
            })) {
      s.await(Duration.ofSeconds(30));
    } catch (BackendException.NotFound e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (buf) {
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  /** The last {@code n} lines of a log text, timestamps stripped, joined with " | ". */
  static String tail(String log, int n) {
    String[] lines = log.strip().split("\r?\n");
    List<String> out = new ArrayList<>();
    for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
      String l = lines[i];
      // Engine timestamps are RFC 3339 followed by one space.
      int sp = l.indexOf(' ');
      if (sp > 0 && l.length() > 20 && Character.isDigit(l.charAt(0)) && l.charAt(4) == '-') {
        l = l.substring(sp + 1);
      }
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out.isEmpty() ? "(no output)" : String.join(" | ", out);
  }
}

package io.testrig.compose;

import io.testrig.backend.Backend;
import io.testrig.backend.ContainerInfo;
import io.testrig.backend.LogOptions;
import io.testrig.backend.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** A log line matching a regex; follows each container's log stream once. */
final class LogCheck implements Check {
  private final Backend backend;
  private final Pattern pattern;
  private final Map<String, Follow> follows = new ConcurrentHashMap<>();

  LogCheck(Backend backend, Pattern pattern) {
    this.backend = backend;
    this.pattern = pattern;
  }

  @Override
  public String describe() {
    return "probe log /" + pattern + "/";
  }

  @Override
  public String test(ContainerInfo c) {
    Follow f = follows.computeIfAbsent(c.id(), id -> new Follow(backend, id, pattern));
    return f.matched ? null : "no log line matches /" + pattern + "/ yet";
  }

  @Override
  public void close() {
    follows.values().forEach(f -> f.stream.close());
  }

  /** One container's followed log; a line may arrive in several chunks. */
  private static final class Follow {
    private final StringBuilder partial = new StringBuilder();
    private final Pattern pattern;
    private final Subscription stream;
    volatile boolean matched;

    Follow(Backend backend, String id, Pattern pattern) {
      this.pattern = pattern;
      this.stream =
          backend.logs(
              id,
              new LogOptions(false, true),
              chunk -> append(new String(chunk.bytes(), StandardCharsets.UTF_8)));
    }

    private void append(String text) {
      synchronized (partial) {
        partial.append(text);
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          if (pattern.matcher(partial.substring(0, nl)).find()) {
            matched = true;
          }
          partial.delete(0, nl + 1);
        }
        if (pattern.matcher(partial).find()) {
          matched = true;
        }
      }
    }
  }
}

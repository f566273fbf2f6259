package io.testrig.suite;

import io.testrig.core.TestrigException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small pure rules about how suites end and what they may use. */
final class Exits {
  private Exits() {}

  // Linux signal numbers (signal(7)), as shells and Docker report them: exit code 128 + n.
  private static final String[] SIGNALS = {
    null,
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS"
  };

  /**
   * The signal an exit code 128+n stands for (Docker and shells report a process killed by signal n
   * that way, https://tldp.org/LDP/abs/html/exitcodes.html; Java's Process does the same), or null.
   * A program could exit with such a code on its own, but a test suite that does is no pass either.
   */
  static String signal(int exitCode) {
    int n = exitCode - 128;
    return n >= 1 && n < SIGNALS.length ? SIGNALS[n] : null;
  }

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([bkmg]?)b?", Pattern.CASE_INSENSITIVE);

  /**
   * Bytes of a Docker-style size ({@code 512k}, {@code 256m}, {@code 1g}, binary units as {@code
   * docker run --memory} reads them); null for null.
   */
  static Long memoryBytes(String size, String suite) {
    if (size == null) {
      return null;
    }
    Matcher m = SIZE.matcher(size.strip());
    if (!m.matches()) {
      throw TestrigException.badInput(
          "suites." + suite + ".memory: '" + size + "' is not a size like 256m or 1g");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          default -> 1L;
        };
    long bytes = n * unit;
    // The engine refuses less than 6 MiB (docker run: "Minimum memory limit allowed is 6MB").
    if (bytes < 6L << 20) {
      throw TestrigException.badInput(
          "suites." + suite + ".memory: '" + size + "' is below Docker's minimum of 6m");
    }
    return bytes;
  }
}

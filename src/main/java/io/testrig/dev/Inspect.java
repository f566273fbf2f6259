package io.testrig.dev;

import io.testrig.compose.ProjectCompose;
import io.testrig.core.Exec;
import io.testrig.core.MaskingWriter;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code testrig exec} and {@code testrig logs}: {@code docker compose exec} and {@code docker
 * compose logs} on a running stack, with every secret masked in what they print (issue 12, item 5).
 */
public final class Inspect {
  /** The default command: bash when the image has it, else sh. */
  static final List<String> SHELL =
      List.of("sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi");

  private Inspect() {}

  /**
   * Runs {@code command} (a shell when empty) in {@code service}'s container. With a terminal on
   * stdin the command gets a TTY and the terminal's input; output is masked as it arrives, holding
   * back at most the start of a possible secret. Returns the command's exit code.
   */
  public static int exec(
      ProjectCompose compose,
      String service,
      List<String> command,
      boolean tty,
      Redactor redactor,
      PrintWriter out,
      PrintWriter err) {
    List<String> cmd;
    if (tty) {
      // compose gives no TTY when its stdout is not a terminal, and here it is the masking pipe;
      // the docker CLI only needs the terminal on stdin (`docker exec -it`).
      cmd = new ArrayList<>(List.of("docker", "exec", "-it", container(compose, service)));
    } else {
      cmd = compose.command(List.of("exec", "-T", service));
    }
    cmd.addAll(command.isEmpty() ? SHELL : command);
    return compose.exec().stream(
        cmd, new MaskingWriter(out, redactor, tty), new MaskingWriter(err, redactor, tty), true);
  }

  /** The running container of {@code service} ({@code compose ps -q}); exit 2 when none. */
  private static String container(ProjectCompose compose, String service) {
    Exec e = compose.exec();
    Exec.Result r = e.run(compose.command(List.of("ps", "-q", service)), Duration.ofSeconds(60));
    String id = r.ok() ? r.stdout().strip().split("\\s+")[0] : "";
    if (id.isEmpty()) {
      throw TestrigException.badInput(
          "service '" + service + "' of " + compose.project() + " has no running container");
    }
    return id;
  }

  /** {@code docker compose logs} of the services (all when empty), masked line by line. */
  public static int logs(
      ProjectCompose compose,
      List<String> services,
      boolean follow,
      boolean timestamps,
      Redactor redactor,
      PrintWriter out,
      PrintWriter err) {
    List<String> args = new ArrayList<>(List.of("logs", "--no-color"));
    if (follow) {
      args.add("--follow");
    }
    if (timestamps) {
      args.add("--timestamps");
    }
    args.addAll(services);
    return compose.exec().stream(
        compose.command(args),
        new MaskingWriter(out, redactor, false),
        new MaskingWriter(err, redactor, false),
        false);
  }

  /** Whether this process's stdin is a terminal (then {@code exec} allocates a TTY). */
  public static boolean stdinIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}

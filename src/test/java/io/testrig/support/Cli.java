package io.testrig.support;

import io.testrig.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Runs testrig in process, as {@code Main.main} does but with injected writers: the exit code,
 * stdout and stderr of each run. One instance accumulates its runs' output (a test that runs
 * several commands and reads what they printed together); {@link #exec} runs once with fresh
 * writers.
 */
public final class Cli {
  /** One run: its exit code and what it printed. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code args} with fresh writers. */
  public static Result exec(String... args) {
    Cli cli = new Cli();
    int code = cli.run(args);
    return new Result(code, cli.out(), cli.err());
  }

  public static Result exec(List<String> args) {
    return exec(args.toArray(String[]::new));
  }

  /** Runs {@code args}, appending to this instance's stdout and stderr; returns the exit code. */
  public int run(String... args) {
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    int code = Main.run(args, o, e);
    o.flush();
    e.flush();
    return code;
  }

  public int run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  /** Everything printed to stdout so far. */
  public String out() {
    return out.toString();
  }

  /** Everything printed to stderr so far. */
  public String err() {
    return err.toString();
  }

  /** Forgets what was printed so far. */
  public void clear() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}

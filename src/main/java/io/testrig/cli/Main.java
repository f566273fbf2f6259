package io.testrig.cli;

import io.testrig.core.CallCount;
import io.testrig.core.ExitCode;
import io.testrig.core.RedactingWriter;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** Entry point: builds the command line with injected writers and maps failures to exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(args, out, err);
    ClassData.ended(code, System.getProperty(ClassData.OK), System.getProperty(ClassData.PARTIAL));
    CallCount.report(System.getenv(CallCount.ENV), err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs testrig with the given writers; tests call this instead of swapping System.out. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // First: its thread works while picocli builds the model below.
    Warmup warmup = Warmup.start(args);
    CommandLine cl = commandLine(out, err, args);
    cl.setExecutionStrategy(new AfterWarmup(warmup));
    try {
      return cl.execute(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      // picocli hands only Exceptions to the handler below. Where testrig knows the input at
      // fault (a template), it reports it itself; this is the last resort: still one line, exit 2
      // (the input was too big or too deep for this JVM), never a thousand-line trace.
      PrintWriter e2 = cl.getErr();
      e2.println(
          "testrig: the input is too large or too deeply nested for this JVM ("
              + e.getClass().getSimpleName()
              + ")");
      if (((TestrigCommand) cl.getCommand()).stacktrace) {
        e.printStackTrace(e2);
      }
      e2.flush();
      return ExitCode.BAD_INPUT.code();
    } finally {
      // A run that ended before its command (a usage error) still leaves no warm-up behind: the
      // next run in this JVM (tests) never initialises classes alongside it.
      warmup.await();
    }
  }

  /**
   * The configured command line. Both writers mask every secret the run loads (see {@link
   * Redactor}), so no subcommand can print one by accident.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, null);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name when they name one (the
   * others' models are never built), else with all of them (help, completion, a typo's error).
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    System.getProperties().putIfAbsent(CONVERTER_EXCLUDES, UNUSED_CONVERTERS);
    Redactor redactor = new Redactor();
    TestrigCommand root = new TestrigCommand(redactor);
    CommandLine cl = new CommandLine(root);
    String wanted = firstPositional(args);
    boolean one =
        wanted != null
            && !wanted.equals("generate-completion")
            && TestrigCommand.NAMES.contains(wanted);
    // `testrig --version` needs no subcommand at all.
    boolean none =
        wanted == null && args != null && List.of(args).stream().anyMatch(VERSION::contains);
    for (int i = 0; i < TestrigCommand.SUBCOMMANDS.size(); i++) {
      if (!none && (!one || TestrigCommand.NAMES.get(i).equals(wanted))) {
        cl.addSubcommand(TestrigCommand.SUBCOMMANDS.get(i));
      }
    }
    if (cl.getSubcommands().containsKey("exec")) {
      // `testrig exec db ls -la`: everything after the service is the command, options included.
      cl.getSubcommands().get("exec").setStopAtPositional(true);
    }
    // After the subcommands: picocli hands writers and handlers only to those present.
    cl.setOut(new PrintWriter(new RedactingWriter(out, redactor), true));
    cl.setErr(new PrintWriter(new RedactingWriter(err, redactor), true));
    cl.setExecutionExceptionHandler(new ExecutionErrors(root));
    cl.setParameterExceptionHandler(new ParameterErrors());
    return cl;
  }

  /*
   * The three callbacks below are named classes, not lambdas, for class-data sharing: a lambda
   * implementing a picocli interface makes the static dump (bin/testrig's base archive, the
   * image's) link that interface, and picocli's interfaces are Java 5 class files, which a dump
   * leaves out once linked ("Skipping picocli/CommandLine$IExecutionStrategy: Old class has been
   * linked", -Xlog:cds), together with every class that implements them (RunLast, picocli's
   * default handlers). Every command then read and verified those 8 classes from the jar (issue
   * 11). https://docs.oracle.com/en/java/javase/17/vm/class-data-sharing.html
   */

  /** Runs the command once the warm-up has ended, so the two never initialise the same classes. */
  private static final class AfterWarmup implements CommandLine.IExecutionStrategy {
    private final Warmup warmup;

    AfterWarmup(Warmup warmup) {
      this.warmup = warmup;
    }

    @Override
    public int execute(CommandLine.ParseResult parseResult) {
      warmup.await();
      return new CommandLine.RunLast().execute(parseResult);
    }
  }

  /** A command's failure: one line per message, the exit code of the exception's kind. */
  private static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
    private final TestrigCommand root;

    ExecutionErrors(TestrigCommand root) {
      this.root = root;
    }

    @Override
    public int handleExecutionException(
        Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      PrintWriter e = commandLine.getErr();
      ExitCode code;
      if (ex instanceof TestrigException te) {
        code = te.exitCode();
        te.lines().forEach(line -> e.println("testrig: " + oneLine(line)));
      } else {
        code = ExitCode.INTERNAL;
        e.println(
            "testrig: internal error: "
                + oneLine(String.valueOf(ex))
                + " (rerun with --stacktrace and report it)");
      }
      if (root.stacktrace) {
        ex.printStackTrace(e);
      }
      e.flush();
      return code.code();
    }
  }

  /** A usage error: its message and where to find help, exit 2. */
  private static final class ParameterErrors implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] unmatched) {
      PrintWriter e = ex.getCommandLine().getErr();
      e.println("testrig: " + ex.getMessage());
      e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      e.flush();
      return ExitCode.BAD_INPUT.code();
    }
  }

  private static final java.util.Set<String> VERSION = java.util.Set.of("-V", "--version");

  /** picocli's switch for leaving out built-in converters (picocli.info, "Type conversion"). */
  static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  /**
   * The built-in converters no option of testrig uses: picocli registers each of them by reflection
   * (Class.forName and getDeclaredMethod of java.sql and java.time types) in every CommandLine it
   * builds (issue 11). testrig's Duration options bring their own converter; MainTest checks that
   * no option's type is left without one.
   */
  static final String UNUSED_CONVERTERS = "java\\.sql\\..*,java\\.time\\..*";

  /** The first argument that is not an option (the root's options take no value), or null. */
  static String firstPositional(String[] args) {
    if (args == null) {
      return null;
    }
    for (String a : args) {
      if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  /**
   * An error is one line (TestrigException's contract, issue 7 item 15): a message that carries a
   * tool's multi-line output is folded, so scripts and CI logs see exactly one stderr line.
   */
  static String oneLine(String message) {
    return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " | ");
  }
}

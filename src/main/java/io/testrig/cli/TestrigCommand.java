package io.testrig.cli;

import io.testrig.core.Redactor;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "testrig",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "End-to-end tests of multi-container systems, in CI exactly as in production.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:tests failed",
      "2:usage or bad input",
      "3:engine or compose unavailable",
      "4:stack failed to come up",
      "5:i/o failure",
      "70:internal error",
      "130:interrupted"
    })
public final class TestrigCommand implements Runnable {
  /**
   * The subcommands, in help order. Main adds them (not the annotation) so a run builds picocli's
   * model of the one it invokes only: building all twelve took about a quarter of a second of every
   * command's start (issue 11).
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          ValidateCommand.class,
          RenderCommand.class,
          CertsCommand.class,
          SecretsCommand.class,
          ReportCommand.class,
          UpCommand.class,
          DownCommand.class,
          RunCommand.class,
          GcCommand.class,
          // The developer's inner loop on a running stack (issue 12).
          InfoCommand.class,
          EnvCommand.class,
          ExecCommand.class,
          LogsCommand.class,
          ReloadCommand.class,
          TestCommand.class,
          EngineCommand.class,
          CiCommand.class,
          AutoComplete.GenerateCompletion.class);

  /**
   * Their names, in the same order: picking the invoked one by name reads no annotation of the
   * others (reading them parsed all 18 classes' annotations on every start, issue 11).
   * TestrigCommandTest checks that each is its class's {@code @Command} name.
   */
  static final List<String> NAMES =
      List.of(
          "validate",
          "render",
          "certs",
          "secrets",
          "report",
          "up",
          "down",
          "run",
          "gc",
          "info",
          "env",
          "exec",
          "logs",
          "reload",
          "test",
          "engine",
          "ci",
          "generate-completion");

  final Redactor redactor;

  @Option(
      names = "--stacktrace",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  boolean stacktrace;

  TestrigCommand(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "missing subcommand");
  }
}

package io.testrig.cli;

import io.testrig.core.TestrigException;
import io.testrig.report.JUnitWriter;
import io.testrig.report.Report;
import io.testrig.report.ReportMerge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Merge JUnit XML files (pytest, Surefire, JUnit console launcher, go-junit-report,"
          + " jest-junit; <testsuites> or <testsuite> root) into one report for GitLab.",
      "A malformed or missing input becomes an error testcase naming the file; no testcase at"
          + " all becomes an error testcase saying so."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every testcase passed or was skipped",
      "1:a testcase failed or errored, an input was malformed, there was no testcase, or the"
          + " report was over GitLab's limits",
      "2:usage error or unreadable --secrets file",
      "5:the output could not be written"
    })
final class ReportMergeCommand implements Callable<Integer> {
  @ParentCommand ReportCommand parent;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "JUnit XML files; a directory stands for every *.xml under it.")
  List<Path> inputs;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "OUT",
      description = "The merged report (written atomically).")
  Path output;

  @Option(
      names = "--name",
      defaultValue = "testrig",
      description = "Name of the <testsuites> root (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--secrets",
      paramLabel = "CONFIG_JSON",
      description = "A config.json whose string values are masked in the report.")
  Path secrets;

  @Option(
      names = "--max-output-chars",
      defaultValue = "" + JUnitWriter.DEFAULT_MAX_TEXT_CHARS,
      paramLabel = "N",
      description =
          "Cap per system-out, system-err and failure text of a testcase (default:"
              + " ${DEFAULT-VALUE}, at most 1048576); lowered further to keep the file under"
              + " 28 MiB.")
  int maxOutputChars;

  @Option(
      names = "--gitlab-file-attribute",
      description =
          "Write the testcase 'file' attribute GitLab reads (not allowed by junit-10.xsd).")
  boolean fileAttribute;

  @Override
  public Integer call() {
    if (maxOutputChars < 0 || maxOutputChars > JUnitWriter.MAX_TEXT_CHARS) {
      throw TestrigException.badInput(
          "--max-output-chars must be between 0 and " + JUnitWriter.MAX_TEXT_CHARS);
    }
    JUnitWriter.Options options =
        new JUnitWriter.Options(maxOutputChars, JUnitWriter.DEFAULT_MAX_BYTES, fileAttribute);
    ReportMerge.Outcome o =
        ReportMerge.run(inputs, output, name, secrets, parent.root.redactor, options);
    PrintWriter err = spec.commandLine().getErr();
    for (String e : o.inputErrors()) {
      err.println("testrig: " + e);
    }
    JUnitWriter.Result r = o.written();
    if (r.overLimits()) {
      err.println(
          "testrig: "
              + output
              + ": the report is over GitLab's limits even with every output cut; it holds only"
              + " the failed and errored testcases and an error testcase saying so");
    } else if (r.passedTextLimit() < options.maxTextChars()) {
      err.println(
          "testrig: outputs cut to "
              + r.passedTextLimit()
              + " characters per text of passed and skipped testcases and "
              + r.textLimit()
              + " of failed ones to stay under "
              + options.maxBytes()
              + " bytes");
    }
    Report.Totals t = r.totals();
    spec.commandLine()
        .getOut()
        .printf(
            "%s: %d tests, %d failed, %d errors, %d skipped (%d bytes)%n",
            output, t.tests(), t.failures(), t.errors(), t.skipped(), r.bytes());
    return o.exitCode().code();
  }
}

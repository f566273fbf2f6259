package io.testrig.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one suite did. The report package turns it into a testsuite: the JUnit XML files are merged
 * as they are; a non-null {@link #problem} becomes an error testcase (with {@link #logFile}
 * attached), so an OOM kill, a signal, a timeout or a suite that wrote no XML is never a pass.
 *
 * @param name the suite's name from the rig
 * @param junitFiles the XML files copied out of the suite's reports directory, redacted, under
 *     {@code <artifactDir>/suites/<name>/}; not checked for well-formedness (the report reader
 *     flags a malformed file as an error testcase naming it)
 * @param exitCode the suite's exit code; -1 when it never ran to an exit
 * @param oomKilled the kernel's OOM killer ended the suite (Docker's {@code State.OOMKilled})
 * @param signal the signal that ended the suite, e.g. {@code SIGKILL}, from an exit code 128+n;
 *     null when it exited on its own
 * @param timedOut the suite outran its timeout and was killed
 * @param duration wall-clock time from start to exit
 * @param logFile the suite's output, timestamped (container suites) and redacted; null when nothing
 *     could be saved
 * @param problem one line saying why the suite's results cannot be trusted as they are; null when
 *     it exited on its own and wrote at least one XML file (failing tests are in the XML)
 */
public record SuiteResult(
    String name,
    List<Path> junitFiles,
    int exitCode,
    boolean oomKilled,
    String signal,
    boolean timedOut,
    Duration duration,
    Path logFile,
    String problem) {
  public SuiteResult {
    junitFiles = List.copyOf(junitFiles);
  }

  /** True when the suite ran to its own end and left XML; its testcases may still fail. */
  public boolean ok() {
    return problem == null;
  }
}

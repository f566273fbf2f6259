package io.testrig.validate;

import io.testrig.rig.Problems;
import io.testrig.rig.Rig;
import io.testrig.rig.SuiteSpec;
import io.testrig.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** The rules that read the file system: every file the rig names is there before anything runs. */
final class FileRules {
  private FileRules() {}

  /** {@code stack.files}: regular files, used as they are (a template is never rendered there). */
  static final class ComposeFiles implements Rule {
    @Override
    public void check(Subject s, Problems out) {
      List<String> files = s.rig().stack().files();
      for (int i = 0; i < files.size(); i++) {
        String f = files.get(i);
        String at = "stack.files[" + i + "]";
        if (f == null || !out.require(!f.endsWith(".j2"), at, templateHint(f))) {
          continue;
        }
        existing(s.rig(), f, at, out);
      }
    }

    private static String templateHint(String f) {
      return f
          + " is a template; compose files are used as they are and reach rendered files through"
          + " ${TESTRIG_RUN_DIR}";
    }
  }

  /** {@code stack.env_files}: regular files; testrig passes the path to compose as written. */
  static final class EnvFiles implements Rule {
    @Override
    public void check(Subject s, Problems out) {
      List<String> files = s.rig().stack().envFiles();
      for (int i = 0; i < files.size(); i++) {
        if (files.get(i) != null) {
          existing(s.rig(), files.get(i), "stack.env_files[" + i + "]", out);
        }
      }
    }
  }

  /**
   * JVM suites: the JUnit console launcher (TESTRIG_JUNIT_CONSOLE, else the builder image's) and
   * every classpath entry exist, so a missing build output fails here and not after the stack.
   */
  static final class JunitFiles implements Rule {
    @Override
    public void check(Subject s, Problems out) {
      Path console = SuiteRunner.junitConsole(s.env());
      boolean consoleChecked = false;
      List<SuiteSpec> suites = s.rig().suites();
      for (int i = 0; i < suites.size(); i++) {
        if (!(suites.get(i) instanceof SuiteSpec.Jvm jvm)) {
          continue;
        }
        String at = "suites[" + i + "].junit";
        if (!consoleChecked) {
          consoleChecked = true;
          out.require(
              Files.isRegularFile(console),
              at,
              "the JUnit console launcher is not at " + console + " (set TESTRIG_JUNIT_CONSOLE)");
        }
        List<String> cp = jvm.junit().classpath();
        for (int k = 0; k < cp.size(); k++) {
          if (cp.get(k) != null) {
            Path p = resolve(s.rig(), cp.get(k));
            out.require(
                p == null || Files.exists(p), at + ".classpath[" + k + "]", p + " does not exist");
          }
        }
      }
    }
  }

  /** {@code path} against the rig's directory; null when it is no path (a model rule said so). */
  private static Path resolve(Rig rig, String path) {
    try {
      return rig.resolve(path);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** A path of the rig that must be a regular file; says so when it holds a variable. */
  private static void existing(Rig rig, String file, String at, Problems out) {
    Path p = resolve(rig, file);
    if (p == null || Files.isRegularFile(p)) {
      return;
    }
    String hint =
        file.contains("$")
            ? " (testrig does not expand variables in rig keys; compose's ${...} works inside"
                + " compose files only)"
            : "";
    out.add(at, p + ": no such file" + hint);
  }
}

package io.testrig.validate;

import io.testrig.backend.ComposeProject;
import io.testrig.backend.docker.ComposeCli;
import io.testrig.compose.ComposeConfig;
import io.testrig.core.ExitCode;
import io.testrig.core.Redactor;
import io.testrig.core.TestrigException;
import io.testrig.rig.Matrix;
import io.testrig.rig.Problem;
import io.testrig.rig.Problems;
import io.testrig.rig.Rig;
import io.testrig.rig.RigLoader;
import io.testrig.rig.Switches;
import io.testrig.rig.ValueEnv;
import io.testrig.secrets.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one validation pass (issue 9, item 5) that {@code validate}, {@code run} and {@code up} start
 * with: the rig file's model rules, then {@link #RULES} (files, then compose's view of the stack).
 * Every problem is collected and reported at once, one line each, exit 2, before anything exists:
 * no run directory, no container, network or volume. Compose is asked with {@code docker compose
 * config}, which needs the CLI but no engine.
 */
public final class Validation {
  /**
   * The rules that read files or ask compose, in order. A new rule is one class here; a rule over
   * the model alone goes in {@code rig.RigValidator.RULES} (docs/development.md).
   */
  static final List<Rule> RULES =
      List.of(
          new FileRules.ComposeFiles(),
          new FileRules.EnvFiles(),
          new FileRules.JunitFiles(),
          new ComposeRules.SuiteServices(),
          new ComposeRules.Profiles(),
          new ComposeRules.StackServices(),
          new SwitchRules());

  private Validation() {}

  /**
   * Loads {@code file} and runs every check.
   *
   * @param runDir the {@code --run-dir} override, for {@code ${TESTRIG_RUN_DIR}} (not created)
   * @param env the environment testrig runs with
   * @return the rig, valid
   * @throws TestrigException exit 2 with one line per problem; exit 3 when the stack needs compose
   *     and none is installed (and nothing else is wrong)
   */
  public static Rig load(Path file, Path runDir, Map<String, String> env) {
    return load(file, runDir, env, r -> new ComposeAs(null, null));
  }

  /**
   * How a bring-up right after the validation pass will ask compose ({@code testrig up}): under
   * {@code project} (null, or a name compose would refuse: {@link ComposeConfig#PROJECT}) with
   * {@code values} for {@code TESTRIG_VALUE_*} (null: the first matrix config's) and {@code runDir}
   * for {@code TESTRIG_RUN_DIR} (null: the rig's; {@code run} names its first config's). Asked the
   * same way, compose's answer is reused by the bring-up instead of starting compose again (issue
   * 11).
   */
  public record ComposeAs(String project, Map<String, Object> values, Path runDir) {
    /** With the rig's own run directory ({@code --run-dir}, else the ephemeral one). */
    public ComposeAs(String project, Map<String, Object> values) {
      this(project, values, null);
    }
  }

  /** As {@link #load(Path, Path, Map)}, asking compose as {@code as} says for the rig. */
  public static Rig load(
      Path file, Path runDir, Map<String, String> env, Function<Rig, ComposeAs> as) {
    RigLoader.Checked checked = new RigLoader().check(file);
    Rig rig = checked.rig();
    Problems out = new Problems();
    Rule.Subject plain = new Rule.Subject(rig, env, null);
    RULES.stream().filter(r -> !r.needsCompose()).forEach(r -> r.check(plain, out));
    TestrigException noCompose = null;
    if (composeCheckable(rig, checked.problems(), out)) {
      try {
        compose(rig, runDir, env, as.apply(rig), out);
      } catch (TestrigException e) {
        if (e.exitCode() != ExitCode.ENGINE_UNAVAILABLE) {
          throw e;
        }
        noCompose = e;
      }
    }
    List<Problem> all = new ArrayList<>(checked.problems());
    all.addAll(out.list());
    if (!all.isEmpty()) {
      List<String> lines = new ArrayList<>(checked.failure(all).lines());
      if (noCompose != null) {
        lines.add(file + ": stack: compose checks skipped: " + noCompose.getMessage());
      }
      throw new TestrigException(ExitCode.BAD_INPUT, lines);
    }
    if (noCompose != null) {
      throw new TestrigException(
          ExitCode.ENGINE_UNAVAILABLE,
          file + ": stack: cannot check the compose files: " + noCompose.getMessage(),
          noCompose);
    }
    return rig;
  }

  /** Compose can only be asked when the stack's files and env files are all there. */
  private static boolean composeCheckable(Rig rig, List<Problem> model, Problems out) {
    boolean modelOk =
        model.stream()
            .noneMatch(p -> p.key().startsWith("stack.files") || p.key().startsWith("stack.env"));
    return !rig.stack().isEmpty()
        && modelOk
        && !out.hasAt("stack.files")
        && !out.hasAt("stack.env_files");
  }

  /** {@code docker compose config}: its rejection is a problem; else the compose rules run. */
  private static void compose(
      Rig rig, Path runDir, Map<String, String> env, ComposeAs as, Problems out) {
    List<Path> files = rig.stack().files().stream().map(rig::resolve).toList();
    List<Path> envFiles = rig.stack().envFiles().stream().map(rig::resolve).toList();
    Redactor redactor = new Redactor();
    ComposeProject project =
        new ComposeProject(
            ComposeConfig.projectOr(as.project()),
            files,
            envFiles,
            composeEnv(rig, as.runDir() != null ? as.runDir() : runDir, as.values()),
            redactor);
    ComposeConfig.Resolved resolved =
        ComposeConfig.resolve(project, ComposeCli.withoutEngine(project), redactor);
    if (!resolved.accepted()) {
      String names = String.join(", ", files.stream().map(Path::toString).toList());
      out.add(
          "stack.files", "docker compose config rejects " + names + ": " + resolved.rejection());
      return;
    }
    Rule.Subject s = new Rule.Subject(rig, env, resolved);
    RULES.stream().filter(Rule::needsCompose).forEach(r -> r.check(s, out));
  }

  /**
   * The variables testrig sets for compose, as a run would: {@code TESTRIG_RUN_DIR} is the run
   * directory's path, which is not created (compose does not look at bind sources here).
   */
  static Map<String, String> composeEnv(Rig rig, Path runDir) {
    return composeEnv(rig, runDir, null);
  }

  /** As {@link #composeEnv(Rig, Path)} with {@code values} (null: the first matrix config's). */
  static Map<String, String> composeEnv(Rig rig, Path runDir, Map<String, Object> values) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    // The values a compose file interpolates (TESTRIG_VALUE_*, issue 9 item 1), as the first
    // matrix config has them; a name collision is the model rules' problem, not compose's.
    try {
      env.putAll(
          ValueEnv.of(
              values != null
                  ? values
                  : Switches.staticValues(rig, Matrix.expand(rig).get(0).values())));
    } catch (TestrigException e) {
      // reported by ShapeRules
    }
    env.put("TESTRIG_RUN_DIR", RunDir.locate(rig, runDir, null).path().toString());
    return env;
  }
}

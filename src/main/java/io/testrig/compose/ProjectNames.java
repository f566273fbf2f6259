package io.testrig.compose;

import io.testrig.core.TestrigException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compose project names: {@code testrig-<run id>}. In GitLab CI the run id starts with the job id
 * (or pipeline id) so an engine's resources can be traced to a job; a matrix config suffix and a
 * random part make parallel matrix entries and repeated runs in one job distinct.
 */
public final class ProjectNames {
  /** Compose's rule: lowercase letters, digits, dashes and underscores, starting alphanumeric. */
  static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private static final SecureRandom RANDOM = new SecureRandom();

  private ProjectNames() {}

  /** A fresh run id from {@code env} (CI_JOB_ID, CI_PIPELINE_ID) and an optional suffix. */
  public static String runId(Map<String, String> env, String configSuffix) {
    StringBuilder id = new StringBuilder();
    String job = env.get("CI_JOB_ID");
    String pipeline = env.get("CI_PIPELINE_ID");
    if (job != null && !job.isBlank()) {
      id.append("j").append(sanitize(job)).append('-');
    } else if (pipeline != null && !pipeline.isBlank()) {
      id.append("p").append(sanitize(pipeline)).append('-');
    }
    if (configSuffix != null && !configSuffix.isBlank()) {
      id.append(sanitize(configSuffix)).append('-');
    }
    id.append(random(id.length() == 0 ? 8 : 4));
    return id.toString();
  }

  /** The run id in a project name: the name without {@code testrig-}, or the name itself. */
  public static String runIdOf(String project) {
    return project.startsWith(io.testrig.engine.Labels.PROJECT_PREFIX)
        ? project.substring(io.testrig.engine.Labels.PROJECT_PREFIX.length())
        : project;
  }

  /** The project name for a run id. */
  public static String project(String runId) {
    return io.testrig.engine.Labels.PROJECT_PREFIX + runId;
  }

  /** Checks a user-given project name against compose's rule. */
  static String validate(String name, String where) {
    if (!VALID.matcher(name).matches()) {
      throw TestrigException.badInput(
          where
              + ": project name '"
              + name
              + "' must be lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
    return name;
  }

  static String sanitize(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    t = t.replaceAll("^-+|-+$", "");
    return t.length() > 24 ? t.substring(0, 24) : t;
  }

  private static String random(int n) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}

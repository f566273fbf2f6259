package io.testrig.dev;

import io.testrig.core.Durations;
import io.testrig.core.TestrigException;
import io.testrig.dev.Services.Address;
import io.testrig.dev.Services.Service;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a developer needs to use a running stack ({@code testrig info}, and after {@code up}): the
 * project, the run directory, each service's addresses, and the commands that give the secrets
 * locally; and the {@code export} lines of {@code testrig env} (issue 12, item 2). Never a secret
 * value, except in {@link #env} when the caller passed them after {@link #requireRevealAllowed}.
 */
public final class StackInfo {
  private StackInfo() {}

  /** The info block; {@code secretCount} is how many secrets config.json holds. */
  public static void print(
      PrintWriter out,
      StackTarget t,
      List<Service> services,
      int secretCount,
      Path configFile,
      Instant now) {
    String sel = t.selector(false);
    out.println("project:  " + t.project());
    out.println("rig:      " + t.rig().file());
    out.println("run dir:  " + t.dir().path());
    t.keep()
        .ifPresent(
            k ->
                out.println(
                    "expires:  "
                        + k.expires()
                        + (k.expired(now)
                            ? " (expired: the next `testrig gc` removes it)"
                            : " (in "
                                + Durations.approx(Duration.between(now, k.expires()))
                                + ")")));
    out.println("services:");
    if (services.isEmpty()) {
      out.println("  (no containers: the stack is gone; `testrig down " + sel + "` tidies up)");
    }
    for (Service s : services) {
      out.println("  " + s.name() + " (" + s.state() + "): " + addresses(s));
    }
    out.println("secrets:  " + secretCount + " in " + configFile + " (masked in output)");
    out.println(
        "  eval \"$(testrig env " + sel + ")\"            # TESTRIG_* variables, no secret");
    out.println("  eval \"$(testrig env " + sel + " --secrets)\"  # and TESTRIG_SECRET_*");
    out.println("  testrig secrets show " + sel + " --reveal PATH  # one value");
    out.println("inspect:  testrig exec " + sel + " SERVICE [CMD...]; testrig logs " + logsSel(t));
    out.println("rerun:    testrig test " + sel + "; testrig reload " + sel);
    out.println("remove:   testrig down " + sel);
  }

  /** A duration as {@code --ttl} takes it: {@code 4h}, {@code 90m}, {@code 45s}. */
  public static String compact(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  /** {@code logs} takes the rig file as {@code --file}: its {@code -f} is {@code --follow}. */
  private static String logsSel(StackTarget t) {
    return t.selector(false).replaceFirst("^-f ", "--file ") + " [SERVICE] [-f]";
  }

  private static String addresses(Service s) {
    List<String> parts = new ArrayList<>();
    for (Address a : s.published()) {
      parts.add(a.hostPort() + " -> " + a.target() + "/" + a.protocol());
    }
    if (!s.ports().isEmpty()) {
      List<String> inside = new ArrayList<>();
      s.ports().forEach(p -> inside.add(s.name() + ":" + p));
      parts.add("inside the stack network " + String.join(", ", inside));
    }
    return parts.isEmpty() ? "no ports" : String.join(", ", parts);
  }

  /**
   * {@code testrig env}: {@code TESTRIG_PROJECT}, {@code TESTRIG_RUN_DIR}, {@code TESTRIG_CONFIG},
   * {@code TESTRIG_RIG}, {@code TESTRIG_EXPIRES}, {@code TESTRIG_ADDR_<SERVICE>_<PORT>} (the host
   * address of container port PORT) and {@code TESTRIG_ADDR_<SERVICE>} (its first one); with {@code
   * secrets} non-null, {@code TESTRIG_SECRET_<PATH>} for each.
   */
  public static List<String> env(
      StackTarget t, List<Service> services, Path configFile, Map<String, Object> secrets) {
    List<String> lines = new ArrayList<>();
    lines.add(Shell.export("TESTRIG_PROJECT", t.project()));
    lines.add(Shell.export("TESTRIG_RUN_DIR", t.dir().path().toString()));
    lines.add(Shell.export("TESTRIG_CONFIG", configFile.toString()));
    lines.add(Shell.export("TESTRIG_RIG", String.valueOf(t.rig().file())));
    t.keep().ifPresent(k -> lines.add(Shell.export("TESTRIG_EXPIRES", k.expires().toString())));
    for (Service s : services) {
      String svc = Shell.name(s.name());
      for (int i = 0; i < s.published().size(); i++) {
        Address a = s.published().get(i);
        if (i == 0) {
          lines.add(Shell.export("TESTRIG_ADDR_" + svc, a.hostPort()));
        }
        lines.add(Shell.export("TESTRIG_ADDR_" + svc + "_" + a.target(), a.hostPort()));
      }
    }
    if (secrets != null) {
      secrets.forEach(
          (k, v) -> lines.add(Shell.export("TESTRIG_SECRET_" + Shell.name(k), String.valueOf(v))));
    }
    return lines;
  }

  /**
   * Secrets are printed only on request and never in CI ({@code CI} set, as GitLab and most CI
   * systems do) unless forced: a job log is kept and shared.
   */
  public static void requireRevealAllowed(Map<String, String> env, boolean force, String option) {
    String ci = env.get("CI");
    if (ci != null && !ci.isBlank() && !force) {
      throw TestrigException.badInput(
          option + ": refusing to print secrets because CI is set (add --force to print them)");
    }
  }
}

package io.testrig.run;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import io.testrig.pki.Pki;
import io.testrig.pki.PkiResult;
import io.testrig.rig.Rig;
import io.testrig.rig.Switches;
import io.testrig.secrets.RunDir;
import io.testrig.secrets.SecretStore;
import io.testrig.template.RenderResult;
import io.testrig.template.TemplateRenderer;
import io.testrig.template.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Certs, then templates, into one run directory: templates may point at certs ({@code {{
 * certs.postgres.cert_path }}}), so certs are issued first. Shared by {@code render} and {@code
 * run}.
 */
public final class Prepare {
  private Prepare() {}

  /**
   * What was made; holds no secret values except inside {@code pki}'s template context.
   *
   * @param values the resolved values (no secrets: those live in the store), which shape the stack
   *     and the suites of this config ({@link io.testrig.rig.Switches}, {@link
   *     io.testrig.rig.ValueEnv})
   */
  public record Prepared(PkiResult pki, RenderResult render, Map<String, Object> values) {}

  /**
   * Issues the rig's certs (if any) and renders its templates with values resolved from the rig,
   * config.json, {@code overlay} (a matrix config), {@code set} and {@code env}; saves config.json.
   */
  public static Prepared prepare(
      Rig rig,
      RunDir dir,
      SecretStore store,
      Map<String, Object> overlay,
      Map<String, String> set,
      Map<String, String> env) {
    PkiResult pki = null;
    Map<String, Object> extra = Map.of();
    if (!rig.certs().isEmpty()) {
      try {
        // issue checks the spec before it makes a key or a file.
        pki = Pki.issue(rig.certs(), rig.dir(), dir.certsDir(), store::secret);
      } catch (TestrigException e) {
        // Pki names the key path (certs.issue.db.dns[0]); the user also needs the file.
        throw e.exitCode() == ExitCode.BAD_INPUT
            ? new TestrigException(e.exitCode(), rig.file() + ": " + e.getMessage(), e)
            : e;
      }
      extra = pki.templateContext();
    }
    Map<String, Object> values = Values.resolve(rig, store, overlay, set, env);
    RenderResult render = TemplateRenderer.render(rig, dir, store, values, extra);
    store.save();
    return new Prepared(pki, render, values);
  }

  /**
   * The values a config with matrix values {@code overlay} will resolve, as far as the rig, {@code
   * set} and {@code env} tell (config.json is not read yet: its plain values, if any, are missing
   * here): what the validation pass asks compose with, so the bring-up can reuse compose's answer
   * ({@code up}, and {@code run}'s first config). A wrong guess costs one more compose process,
   * never a wrong model: the bring-up compares the values it really has. Null when they cannot be
   * guessed.
   */
  public static Map<String, Object> expectedValues(
      Rig rig, Map<String, Object> overlay, Map<String, String> set, Map<String, String> env) {
    // In the order Values.resolve applies them: the matrix config's, --set, then the environment.
    Map<String, Object> all = new LinkedHashMap<>(overlay);
    all.putAll(set);
    String prefix = rig.secrets().envPrefix();
    new TreeMap<>(env)
        .forEach(
            (name, v) -> {
              if (name.startsWith(prefix) && name.length() > prefix.length()) {
                all.put(name.substring(prefix.length()).replace("__", "."), v);
              }
            });
    // Secrets never reach compose's values (Values.resolve keeps them in the store).
    all.keySet().removeIf(p -> rig.secrets().generators().containsKey(p.split("\\.")[0]));
    try {
      return Switches.staticValues(rig, all);
    } catch (RuntimeException e) {
      // A key path the bring-up itself refuses: validation asks with the rig's own values.
      return null;
    }
  }
}

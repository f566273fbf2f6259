package io.testrig.rig;

import io.testrig.rig.StackSpec.ProbeSpec;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules over the rig model alone (no file system, no compose): what types cannot say, like
 * required keys, enumerations, names and bounds. Each rule is a small function in {@link #RULES};
 * every problem is collected. Rules that read files or ask compose live in {@code
 * io.testrig.validate.Validation} (docs/development.md, "Validation rules").
 */
final class RigValidator {
  /** A rule over the model: adds what is wrong to {@code out}, never throws for bad input. */
  @FunctionalInterface
  interface Rule {
    void check(Rig rig, Problems out);
  }

  static final Set<String> GENERATOR_KINDS = Set.of("password", "token", "hex", "uuid", "chars");

  /**
   * Top-level template variables testrig sets itself ({@code certs} from the PKI, {@code run} with
   * the run directory), so a generator of that name would be shadowed or would shadow them.
   */
  static final Set<String> RESERVED_NAMESPACES = Set.of("certs", "run");

  static final int MAX_MATRIX_CONFIGS = 256;

  /** Names usable as a Jinja identifier and as part of a compose project or file name. */
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** {@code stack.services.<name>.reload}: restart, or a signal as docker kill -s takes it. */
  private static final Pattern RELOAD = Pattern.compile("restart|SIG[A-Z0-9+-]{2,12}");

  /**
   * A Jinja expression or statement; {@code {{.Name}}} and {@code {{ .Name }}} are Go templates
   * (docker's and compose's {@code --format}), which a command may carry on purpose.
   */
  private static final Pattern JINJA = Pattern.compile("\\{\\{(?!\\s*\\.)|\\{%");

  /** Sections whose strings are data handed to templates as written; a {@code {{} there is kept. */
  private static final List<String> DATA_SECTIONS = List.of("values", "matrix");

  static final List<Rule> RULES =
      List.of(
          RigValidator::templates,
          RigValidator::secrets,
          (rig, out) -> CertRules.check(rig.certs(), out),
          RigValidator::stack,
          RigValidator::suites,
          RigValidator::matrix,
          // Conditions and value names for compose (issue 9, items 1-3).
          (rig, out) -> ShapeRules.check(rig).forEach(f -> out.add(f.path(), f.what())));

  private RigValidator() {}

  /** Every problem of {@code rig}; {@code strings} are the file's string values by key path. */
  static Problems validate(Rig rig, Map<String, String> strings) {
    Problems out = new Problems();
    for (Rule r : RULES) {
      r.check(rig, out);
    }
    unrendered(strings, out);
    return out;
  }

  private static void templates(Rig rig, Problems out) {
    for (int i = 0; i < rig.templates().size(); i++) {
      TemplateSpec t = rig.templates().get(i);
      String at = "templates[" + i + "]";
      if (!out.require(t != null, at, "must be a mapping")) {
        continue;
      }
      if (out.require(t.from() != null && !t.from().isBlank(), at + ".from", "is required")
          && path(t.from(), at + ".from", out)) {
        glob(t.from(), at + ".from", out);
      }
      if (path(t.to(), at + ".to", out)) {
        out.require(
            !Path.of(t.to()).isAbsolute() && !Path.of(t.to()).normalize().startsWith(".."),
            at + ".to",
            "must be a path inside the run directory");
      }
      out.require(
          t.mode() == null || t.mode().matches("0?[0-7]{3}"),
          at + ".mode",
          "must be an octal mode like \"0644\"");
    }
  }

  private static void secrets(Rig rig, Problems out) {
    // Every environment variable whose name starts with it sets a value: it must be a real prefix.
    out.require(
        rig.secrets().envPrefix().matches("[A-Za-z_][A-Za-z0-9_]*"),
        "secrets.env_prefix",
        "must be a prefix of letters, digits and _ (default TESTRIG_)");
    if (rig.secrets().config() != null) {
      path(rig.secrets().config(), "secrets.config", out);
    }
    rig.secrets().generators().forEach((name, g) -> generator(name, g, out));
    // A value of a generator's name would hide its secrets in templates: say where it is.
    for (String ns : rig.values().keySet()) {
      out.require(
          !SecretsSpec.BUILTIN_GENERATORS.contains(ns)
              && !rig.secrets().generators().containsKey(ns),
          "values." + ns,
          "a value cannot use the name of the secret generator '" + ns + "'");
    }
    // The PKI's template variable would silently replace it.
    out.require(
        rig.certs().isEmpty() || !rig.values().containsKey("certs"),
        "values.certs",
        "the name 'certs' is reserved for the certificates in templates");
  }

  private static void generator(String name, SecretsSpec.GeneratorSpec g, Problems out) {
    String at = "secrets.generators." + name;
    out.require(NAME.matcher(name).matches(), at, "is not a valid name (letters, digits, _ and -)");
    out.require(
        !RESERVED_NAMESPACES.contains(name),
        at,
        "the name '"
            + name
            + "' is reserved for templates (reserved: "
            + sorted(RESERVED_NAMESPACES)
            + ")");
    if (!out.require(g != null, at, "must be a mapping")) {
      return;
    }
    out.require(
        g.kind() == null || GENERATOR_KINDS.contains(g.kind()),
        at + ".kind",
        "must be one of " + sorted(GENERATOR_KINDS));
    out.require(
        g.length() == null || (g.length() >= 8 && g.length() <= 4096),
        at + ".length",
        "must be between 8 and 4096");
    out.require(
        !"chars".equals(g.kind()) || (g.alphabet() != null && g.alphabet().length() >= 2),
        at + ".alphabet",
        "needs at least 2 characters for kind chars");
  }

  private static void stack(Rig rig, Problems out) {
    StackSpec stack = rig.stack();
    noNulls(stack.profiles(), "stack.profiles", out);
    noNulls(stack.build(), "stack.build", out);
    for (int i = 0; i < stack.files().size(); i++) {
      path(stack.files().get(i), "stack.files[" + i + "]", out);
    }
    for (int i = 0; i < stack.envFiles().size(); i++) {
      path(stack.envFiles().get(i), "stack.env_files[" + i + "]", out);
    }
    stack.services().forEach((name, s) -> probe(name, s, out));
  }

  private static void probe(String name, StackSpec.ServiceSpec s, Problems out) {
    String at = "stack.services." + name;
    if (!out.require(s != null, at, "must be a mapping")) {
      return;
    }
    out.require(
        s.reload() == null || RELOAD.matcher(s.reload()).matches(),
        at + ".reload",
        "must be restart or a signal name such as SIGHUP");
    if (s.probe() == null) {
      return;
    }
    // Exactly one kind is the loader's (ProbeReader); the values are checked here.
    ProbeSpec p = s.probe();
    if (p instanceof ProbeSpec.Tcp t) {
      out.require(
          t.port() >= 1 && t.port() <= 65535,
          at + ".probe.tcp",
          "must be a port between 1 and 65535");
    } else if (p instanceof ProbeSpec.Command c) {
      noNulls(c.argv(), at + ".probe.command", out);
    }
  }

  private static void suites(Rig rig, Problems out) {
    Set<String> suiteNames = new HashSet<>();
    for (int i = 0; i < rig.suites().size(); i++) {
      SuiteSpec s = rig.suites().get(i);
      String at = "suites[" + i + "]";
      if (!out.require(s != null, at, "must be a mapping")) {
        continue;
      }
      if (out.require(
          s.name() != null && NAME.matcher(s.name()).matches(),
          at + ".name",
          "is required (letters, digits, _ and -)")) {
        out.require(suiteNames.add(s.name()), at + ".name", "'" + s.name() + "' is used twice");
      }
      if (s instanceof SuiteSpec.ComposeService c) {
        noNulls(c.command(), at + ".command", out);
      } else if (s instanceof SuiteSpec.Image c) {
        noNulls(c.command(), at + ".command", out);
      } else if (s instanceof SuiteSpec.Jvm j) {
        noNulls(j.junit().classpath(), at + ".junit.classpath", out);
        noNulls(j.junit().select(), at + ".junit.select", out);
      }
    }
  }

  private static void matrix(Rig rig, Problems out) {
    long configs = 1;
    for (Map.Entry<String, List<Object>> axis : rig.matrix().entrySet()) {
      String at = "matrix." + axis.getKey();
      List<Object> vals = axis.getValue();
      out.require(vals != null && !vals.isEmpty(), at, "must be a non-empty list");
      out.require(
          axis.getKey().matches("[A-Za-z_][A-Za-z0-9_.]*"), at, "is not a valid value path");
      long before = configs;
      // Capped just above the bound, so many long axes cannot overflow the product.
      configs =
          Math.min(
              MAX_MATRIX_CONFIGS + 1L, configs * (vals == null ? 1 : Math.max(1, vals.size())));
      // Named once, at the axis that crosses the bound.
      out.require(
          before > MAX_MATRIX_CONFIGS || configs <= MAX_MATRIX_CONFIGS,
          at,
          "the matrix has more than " + MAX_MATRIX_CONFIGS + " configs");
    }
  }

  /**
   * A {@code {{} outside templates is used as written, so a rig that expects it rendered fails much
   * later, or silently (issue 9: {@code stack.profiles: ["{{ ... }}"]} left a service off).
   */
  private static void unrendered(Map<String, String> strings, Problems out) {
    strings.forEach(
        (key, text) -> {
          String root = key.split("[.\\[]", 2)[0];
          if (!DATA_SECTIONS.contains(root) && JINJA.matcher(text).find()) {
            out.add(
                key,
                "'{{' is not rendered here: testrig renders template files only, and uses this"
                    + " key as written");
          }
        });
  }

  /** A list of strings without null entries ({@code [~]}), which would fail much later. */
  private static void noNulls(List<String> list, String at, Problems out) {
    for (int i = 0; list != null && i < list.size(); i++) {
      out.require(list.get(i) != null, at + "[" + i + "]", "must be a string");
    }
  }

  /** A path string the file system can take: present, and without a NUL character. */
  static boolean path(String path, String at, Problems out) {
    if (!out.require(path != null, at, "must be a path")) {
      return false;
    }
    try {
      Path.of(path);
      return true;
    } catch (InvalidPathException e) {
      out.add(at, "is not a valid path: " + e.getReason());
      return false;
    }
  }

  /** {@code from} may be a glob: one that does not compile is the user's error, not a crash. */
  private static void glob(String glob, String at, Problems out) {
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (PatternSyntaxException e) {
      out.add(at, "is not a valid glob: " + e.getDescription() + " at " + e.getIndex());
    }
  }

  static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}

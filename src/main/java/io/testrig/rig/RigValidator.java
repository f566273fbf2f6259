package io.testrig.rig;

import io.testrig.rig.CertsSpec.LeafSpec;
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

/** Checks what types alone cannot: required keys, enumerations, names, one-of choices. */
final class RigValidator {
  static final Set<String> KEY_TYPES = Set.of("ecdsa-p256", "rsa-2048", "rsa-3072", "rsa-4096");
  static final Set<String> USAGES = Set.of("server", "client");
  static final Set<String> GENERATOR_KINDS = Set.of("password", "token", "hex", "uuid", "chars");

  /**
   * Top-level template variables testrig sets itself ({@code certs} from the PKI, {@code run} with
   * the run directory), so a generator of that name would be shadowed or would shadow them.
   */
  static final Set<String> RESERVED_NAMESPACES = Set.of("certs", "run");

  /**
   * Bounds that keep every command's work small (issue 7, item 14); docs/rig-file.md, "Limits",
   * lists them. Each leaf costs a key pair and two PKCS12 key derivations.
   */
  static final int MAX_CERTS = 100;

  static final int MAX_NAMES_PER_CERT = 100;
  static final int MAX_MATRIX_CONFIGS = 256;

  /** Names usable as a Jinja identifier and as part of a compose project or file name. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** {@code stack.services.<name>.reload}: restart, or a signal as docker kill -s takes it. */
  private static final Pattern RELOAD = Pattern.compile("restart|SIG[A-Z0-9+-]{2,12}");

  private final RigLoader.LineIndex index;
  private final Path file;

  RigValidator(RigLoader.LineIndex index, Path file) {
    this.index = index;
    this.file = file;
  }

  void validate(Rig rig) {
    for (int i = 0; i < rig.templates().size(); i++) {
      TemplateSpec t = rig.templates().get(i);
      String at = "templates[" + i + "]";
      require(t != null, at, "must be a mapping");
      require(t.from() != null && !t.from().isBlank(), at + ".from", "is required");
      requirePath(t.from(), at + ".from");
      requireGlob(t.from(), at + ".from");
      requirePath(t.to(), at + ".to");
      requireRelative(t.to(), at + ".to");
      if (t.mode() != null) {
        require(
            t.mode().matches("0?[0-7]{3}"), at + ".mode", "must be an octal mode like \"0644\"");
      }
    }
    secrets(rig);
    certs(rig.certs());
    stack(rig.stack());
    suites(rig);
    matrix(rig);
  }

  private void secrets(Rig rig) {
    // Every environment variable whose name starts with it sets a value: it must be a real prefix.
    require(
        rig.secrets().envPrefix().matches("[A-Za-z_][A-Za-z0-9_]*"),
        "secrets.env_prefix",
        "must be a prefix of letters, digits and _ (default TESTRIG_)");
    if (rig.secrets().config() != null) {
      requirePath(rig.secrets().config(), "secrets.config");
    }
    rig.secrets()
        .generators()
        .forEach(
            (name, g) -> {
              String at = "secrets.generators." + name;
              require(
                  NAME.matcher(name).matches(),
                  at,
                  "is not a valid name (letters, digits, _ and -)");
              require(
                  !RESERVED_NAMESPACES.contains(name),
                  at,
                  "the name '"
                      + name
                      + "' is reserved for templates (reserved: "
                      + sorted(RESERVED_NAMESPACES)
                      + ")");
              require(g != null, at, "must be a mapping");
              require(
                  g.kind() == null || GENERATOR_KINDS.contains(g.kind()),
                  at + ".kind",
                  "must be one of " + sorted(GENERATOR_KINDS));
              require(
                  g.length() == null || (g.length() >= 8 && g.length() <= 4096),
                  at + ".length",
                  "must be between 8 and 4096");
              require(
                  !"chars".equals(g.kind()) || (g.alphabet() != null && g.alphabet().length() >= 2),
                  at + ".alphabet",
                  "needs at least 2 characters for kind chars");
            });
    // A value of a generator's name would hide its secrets in templates: say where it is.
    for (String ns : rig.values().keySet()) {
      require(
          !SecretsSpec.BUILTIN_GENERATORS.contains(ns)
              && !rig.secrets().generators().containsKey(ns),
          "values." + ns,
          "a value cannot use the name of the secret generator '" + ns + "'");
    }
    // The PKI's template variable would silently replace it.
    require(
        rig.certs().isEmpty() || !rig.values().containsKey("certs"),
        "values.certs",
        "the name 'certs' is reserved for the certificates in templates");
  }

  private void certs(CertsSpec certs) {
    require(
        KEY_TYPES.contains(certs.ca().key()),
        "certs.ca.key",
        "must be one of " + sorted(KEY_TYPES));
    requireDays(certs.ca().validityDays(), "certs.ca.validity_days");
    if (certs.ca().cache() != null) {
      requirePath(certs.ca().cache(), "certs.ca.cache");
    }
    require(
        certs.issue().size() <= MAX_CERTS,
        "certs.issue",
        "has " + certs.issue().size() + " entries, at most " + MAX_CERTS + " are allowed");
    for (Map.Entry<String, LeafSpec> e : certs.issue().entrySet()) {
      String at = "certs.issue." + e.getKey();
      LeafSpec leaf = e.getValue();
      require(leaf != null, at, "must be a mapping (use {} for defaults)");
      require(
          NAME.matcher(e.getKey()).matches(), at, "is not a valid name (letters, digits, _ and -)");
      require(!e.getKey().equals("ca"), at, "the name 'ca' is reserved for the CA in templates");
      require(
          leaf.key() == null || KEY_TYPES.contains(leaf.key()),
          at + ".key",
          "must be one of " + sorted(KEY_TYPES));
      require(!leaf.usage().isEmpty(), at + ".usage", "must name server, client or both");
      for (int i = 0; i < leaf.usage().size(); i++) {
        require(
            leaf.usage().get(i) != null && USAGES.contains(leaf.usage().get(i)),
            at + ".usage[" + i + "]",
            "must be server or client");
      }
      requireDays(leaf.validityDays(), at + ".validity_days");
      require(leaf.dns().size() <= MAX_NAMES_PER_CERT, at + ".dns", "at most 100 names");
      require(leaf.ip().size() <= MAX_NAMES_PER_CERT, at + ".ip", "at most 100 addresses");
      for (int i = 0; i < leaf.dns().size(); i++) {
        require(leaf.dns().get(i) != null, at + ".dns[" + i + "]", "must be a DNS name");
      }
      for (int i = 0; i < leaf.ip().size(); i++) {
        require(
            leaf.ip().get(i) != null && leaf.ip().get(i).matches("[0-9.]+|[0-9a-fA-F:]+"),
            at + ".ip[" + i + "]",
            "is not an IP address");
      }
    }
  }

  private void stack(StackSpec stack) {
    noNulls(stack.profiles(), "stack.profiles");
    noNulls(stack.build(), "stack.build");
    for (int i = 0; i < stack.files().size(); i++) {
      requirePath(stack.files().get(i), "stack.files[" + i + "]");
    }
    for (int i = 0; i < stack.envFiles().size(); i++) {
      requirePath(stack.envFiles().get(i), "stack.env_files[" + i + "]");
    }
    stack
        .services()
        .forEach(
            (name, s) -> {
              String at = "stack.services." + name;
              require(s != null, at, "must be a mapping");
              require(
                  s.reload() == null || RELOAD.matcher(s.reload()).matches(),
                  at + ".reload",
                  "must be restart or a signal name such as SIGHUP");
              // Exactly one kind is the loader's (ProbeSpec.of); the values are checked here.
              ProbeSpec p = s.probe();
              if (p instanceof ProbeSpec.Tcp t) {
                require(
                    t.port() >= 1 && t.port() <= 65535,
                    at + ".probe.tcp",
                    "must be a port between 1 and 65535");
              } else if (p instanceof ProbeSpec.Command c) {
                noNulls(c.argv(), at + ".probe.command");
              }
            });
  }

  private void suites(Rig rig) {
    Set<String> suiteNames = new HashSet<>();
    for (int i = 0; i < rig.suites().size(); i++) {
      SuiteSpec s = rig.suites().get(i);
      String at = "suites[" + i + "]";
      require(s != null, at, "must be a mapping");
      require(
          s.name() != null && NAME.matcher(s.name()).matches(),
          at + ".name",
          "is required (letters, digits, _ and -)");
      require(suiteNames.add(s.name()), at + ".name", "'" + s.name() + "' is used twice");
      noNulls(s.command(), at + ".command");
      if (s.junit() != null) {
        noNulls(s.junit().classpath(), at + ".junit.classpath");
        noNulls(s.junit().select(), at + ".junit.select");
      }
      int kinds =
          (s.service() != null ? 1 : 0)
              + (s.image() != null ? 1 : 0)
              + (s.junit() != null && s.image() == null ? 1 : 0);
      require(kinds == 1, at, "needs exactly one of service, image or junit");
    }
  }

  private void matrix(Rig rig) {
    long configs = 1;
    for (Map.Entry<String, List<Object>> axis : rig.matrix().entrySet()) {
      configs *= axis.getValue() == null ? 1 : Math.max(1, axis.getValue().size());
      require(
          configs <= MAX_MATRIX_CONFIGS,
          "matrix." + axis.getKey(),
          "the matrix has more than " + MAX_MATRIX_CONFIGS + " configs");
    }
    rig.matrix()
        .forEach(
            (axis, vals) -> {
              require(
                  vals != null && !vals.isEmpty(), "matrix." + axis, "must be a non-empty list");
              require(
                  axis.matches("[A-Za-z_][A-Za-z0-9_.]*"),
                  "matrix." + axis,
                  "is not a valid value path");
            });
  }

  /** A list of strings without null entries ({@code [~]}), which would fail much later. */
  private void noNulls(List<String> list, String at) {
    for (int i = 0; list != null && i < list.size(); i++) {
      require(list.get(i) != null, at + "[" + i + "]", "must be a string");
    }
  }

  /** Validity in days: at least 1, at most {@link CertsSpec#MAX_VALIDITY_DAYS}. */
  private void requireDays(int days, String at) {
    require(
        days >= 1 && days <= CertsSpec.MAX_VALIDITY_DAYS,
        at,
        "must be between 1 and " + CertsSpec.MAX_VALIDITY_DAYS);
  }

  /** A path string the file system can take: present, and without a NUL character. */
  private void requirePath(String path, String at) {
    require(path != null, at, "must be a path");
    try {
      Path.of(path);
    } catch (InvalidPathException e) {
      throw RigLoader.error(file, index, at, "is not a valid path: " + e.getReason());
    }
  }

  /** {@code from} may be a glob: one that does not compile is the user's error, not a crash. */
  private void requireGlob(String glob, String at) {
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (PatternSyntaxException e) {
      throw RigLoader.error(
          file, index, at, "is not a valid glob: " + e.getDescription() + " at " + e.getIndex());
    }
  }

  private void requireRelative(String path, String at) {
    require(
        !Path.of(path).isAbsolute() && !Path.of(path).normalize().startsWith(".."),
        at,
        "must be a path inside the run directory");
  }

  private void require(boolean ok, String path, String what) {
    if (!ok) {
      throw RigLoader.error(file, index, path, what);
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}

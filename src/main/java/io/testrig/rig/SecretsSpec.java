package io.testrig.rig;

import java.util.Map;

/**
 * The {@code secrets:} section.
 *
 * @param config a persistent config.json (relative to the rig file); default: an ephemeral one in
 *     the run directory. The CLI's {@code --config} wins over it.
 * @param envPrefix prefix of environment variables that set values ({@code TESTRIG_db__name=x} sets
 *     {@code db.name}); default {@code TESTRIG_}
 * @param generators named generators: each name becomes a template namespace, so a generator {@code
 *     apikey} serves {@code {{ apikey.stripe }}}. Overrides the built-in ones of the same name.
 */
public record SecretsSpec(String config, String envPrefix, Map<String, GeneratorSpec> generators) {
  public static final SecretsSpec DEFAULT = new SecretsSpec(null, null, null);

  /** The generators every rig has; {@code generators} may override them. */
  public static final java.util.List<String> BUILTIN_GENERATORS =
      java.util.List.of("password", "token", "hex", "uuid");

  public SecretsSpec {
    envPrefix = envPrefix == null ? "TESTRIG_" : envPrefix;
    generators = generators == null ? Map.of() : generators;
  }

  /**
   * A generator: {@code kind} is one of password, token, hex, uuid, or chars (with {@code
   * alphabet}); {@code length} counts characters (bytes of entropy for token).
   */
  public record GeneratorSpec(String kind, Integer length, String alphabet) {}
}

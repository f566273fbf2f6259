package io.testrig.rig;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code testrig.yml}. Every section is optional; absent sections are empty, never null.
 * docs/rig-file.md documents each key. Paths in the file are relative to the rig file's directory
 * ({@link #dir()}), except template and cert outputs, which live in the run directory.
 *
 * @param name a short name for reports and compose project names; defaults to the directory name
 * @param values defaults for template variables and feature flags (lowest precedence)
 * @param templates what to render, and where
 * @param secrets where config.json lives and how secrets are generated
 * @param certs the throw-away CA and the certificates to issue
 * @param stack the compose stack to bring up
 * @param suites the test suites to run against the stack
 * @param matrix axes whose cross product gives one config per combination
 */
public record Rig(
    String name,
    Map<String, Object> values,
    List<TemplateSpec> templates,
    SecretsSpec secrets,
    CertsSpec certs,
    StackSpec stack,
    List<SuiteSpec> suites,
    Map<String, List<Object>> matrix,
    @JsonIgnore Path file) {

  public Rig {
    values = values == null ? Map.of() : values;
    // Null entries (`templates: [~]`) stay, so RigValidator names them instead of a crash here.
    templates = templates == null ? List.of() : Collections.unmodifiableList(templates);
    secrets = secrets == null ? SecretsSpec.DEFAULT : secrets;
    certs = certs == null ? CertsSpec.NONE : certs;
    stack = stack == null ? StackSpec.NONE : stack;
    suites = suites == null ? List.of() : Collections.unmodifiableList(suites);
    matrix = matrix == null ? Map.of() : matrix;
  }

  /** The directory that relative paths in the rig file resolve against. */
  public Path dir() {
    return file == null ? Path.of("").toAbsolutePath() : file.toAbsolutePath().getParent();
  }

  /** Resolves a path written in the rig file. */
  public Path resolve(String path) {
    return dir().resolve(path).normalize();
  }

  /** The name to use in reports and project names. */
  public String displayName() {
    if (name != null && !name.isBlank()) {
      return name;
    }
    Path d = dir().getFileName();
    return d == null ? "testrig" : d.toString();
  }

  /** The same rig with another stack section (the profiles a config's flags switched on). */
  public Rig withStack(StackSpec s) {
    return new Rig(name, values, templates, secrets, certs, s, suites, matrix, file);
  }

  Rig withFile(Path f) {
    return new Rig(name, values, templates, secrets, certs, stack, suites, matrix, f);
  }
}

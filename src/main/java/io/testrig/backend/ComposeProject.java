package io.testrig.backend;

import io.testrig.core.Redactor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One compose project as the compose steps see it: its name, files (label override included, once
 * written), env files, the environment compose runs with, and the redactor for its output.
 */
public record ComposeProject(
    String name,
    List<Path> files,
    List<Path> envFiles,
    Map<String, String> env,
    Redactor redactor) {
  public ComposeProject {
    files = List.copyOf(files);
    envFiles = List.copyOf(envFiles);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }
}

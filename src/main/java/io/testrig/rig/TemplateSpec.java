package io.testrig.rig;

/**
 * One {@code templates:} entry: a source directory or glob, rendered into a directory of the run
 * directory that mirrors the source tree.
 *
 * @param from a directory (every file below it) or a glob such as {@code conf/**}{@code /*.j2},
 *     relative to the rig file
 * @param to the output directory, relative to the run directory ({@code "."} for its root)
 * @param stripSuffix suffix removed from output file names; default {@code .j2}
 * @param mode octal mode for every output (e.g. {@code "0644"}); by default sources keep their mode
 *     and outputs that contain a secret are 0600
 */
public record TemplateSpec(String from, String to, String stripSuffix, String mode) {
  public TemplateSpec {
    to = to == null ? "." : to;
    stripSuffix = stripSuffix == null ? ".j2" : stripSuffix;
  }
}

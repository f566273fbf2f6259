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
 * @param outsideRig {@code true} allows {@code from} to lie outside the rig file's directory tree
 *     (an absolute path, {@code ..}, or a symbolic link leading out); by default that is refused,
 *     so a rig file cannot copy e.g. /etc into the run directory by accident
 */
public record TemplateSpec(
    String from, String to, String stripSuffix, String mode, Boolean outsideRig) {
  public TemplateSpec(String from, String to, String stripSuffix, String mode) {
    this(from, to, stripSuffix, mode, false);
  }

  public TemplateSpec {
    outsideRig = outsideRig != null && outsideRig;
    to = to == null ? "." : to;
    stripSuffix = stripSuffix == null ? ".j2" : stripSuffix;
  }
}

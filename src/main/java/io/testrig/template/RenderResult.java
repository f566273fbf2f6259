package io.testrig.template;

import java.nio.file.Path;
import java.util.List;

/**
 * What a render wrote. No values: safe to print.
 *
 * @param files every output, in render order
 */
public record RenderResult(List<Output> files) {
  /**
   * One output file.
   *
   * @param source the template (or copied file)
   * @param output where it now lives, inside the run directory
   * @param relative {@code output} relative to the run directory
   * @param mode its octal mode, e.g. {@code 0600}
   * @param secret true when it holds a secret value
   * @param rendered false for a file copied verbatim (no template suffix)
   */
  public record Output(
      Path source, Path output, Path relative, String mode, boolean secret, boolean rendered) {}

  public long secretFiles() {
    return files.stream().filter(Output::secret).count();
  }
}

package io.testrig.backend;

import java.util.List;
import java.util.Map;

/**
 * A container to create.
 *
 * @param cmd the command; empty means the image's
 * @param memoryBytes hard memory limit with no swap, or null
 * @param network network to join, or null for the default
 * @param alias name the container answers to on {@code network}, or null
 * @param readOnlyMounts host path → container path, bind-mounted read-only (a suite's view of the
 *     run directory)
 */
public record ContainerSpec(
    String image,
    String name,
    Map<String, String> labels,
    List<String> env,
    List<String> cmd,
    Long memoryBytes,
    String network,
    String alias,
    Map<String, String> readOnlyMounts) {
  public ContainerSpec {
    labels = Map.copyOf(labels);
    env = List.copyOf(env);
    cmd = List.copyOf(cmd);
    readOnlyMounts = readOnlyMounts == null ? Map.of() : Map.copyOf(readOnlyMounts);
  }

  /** A container without mounts. */
  public ContainerSpec(
      String image,
      String name,
      Map<String, String> labels,
      List<String> env,
      List<String> cmd,
      Long memoryBytes,
      String network,
      String alias) {
    this(image, name, labels, env, cmd, memoryBytes, network, alias, Map.of());
  }
}

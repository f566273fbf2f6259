package io.testrig.backend;

import java.util.List;
import java.util.Map;

/**
 * A container, network or volume found by label: its id (a volume's id is its name), its name
 * (containers without the engine's leading slash), its labels, and for a container the ids of the
 * networks it is attached to (empty for the others, and where the backend does not say).
 */
public record Resource(String id, String name, Map<String, String> labels, List<String> networks) {
  public Resource {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  /** A network, a volume, or a container whose networks are not known. */
  public Resource(String id, String name, Map<String, String> labels) {
    this(id, name, labels, List.of());
  }
}

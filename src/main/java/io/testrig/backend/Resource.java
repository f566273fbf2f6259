package io.testrig.backend;

import java.util.Map;

/**
 * A container, network or volume found by label: its id (a volume's id is its name), its name
 * (containers without the engine's leading slash) and its labels.
 */
public record Resource(String id, String name, Map<String, String> labels) {
  public Resource {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}

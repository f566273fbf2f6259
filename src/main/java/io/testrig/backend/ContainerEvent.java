package io.testrig.backend;

import java.util.Map;

/**
 * One container event: {@code action} as the engine names it ({@code start}, {@code die}, {@code
 * oom}, {@code health_status: healthy}, ...) and its attributes ({@code exitCode} on die).
 */
public record ContainerEvent(String containerId, String action, Map<String, String> attributes) {
  public ContainerEvent {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}

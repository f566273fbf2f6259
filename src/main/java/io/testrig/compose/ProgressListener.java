package io.testrig.compose;

/**
 * Receives per-service progress while a stack comes up (called from several threads): a TTY
 * display, plain lines, or GitLab log sections. Must not block.
 */
@FunctionalInterface
public interface ProgressListener {
  void onService(String service, ServiceStatus.State state, String detail);

  ProgressListener NONE = (service, state, detail) -> {};
}

package io.testrig.backend;

/**
 * An error the engine reported for one request, in neutral terms. The message is the engine's own
 * (callers match a few of them, e.g. "already started"), so it must never be rewritten.
 */
public class BackendException extends RuntimeException {
  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The container, network, volume, image or path does not exist (HTTP 404). */
  public static final class NotFound extends BackendException {
    public NotFound(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The request conflicts with the object's state, e.g. a volume in use (HTTP 409). */
  public static final class Conflict extends BackendException {
    public Conflict(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Nothing to do, e.g. killing a container that already stopped (HTTP 304). */
  public static final class NotModified extends BackendException {
    public NotModified(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

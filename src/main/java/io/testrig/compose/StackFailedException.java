package io.testrig.compose;

import io.testrig.core.ExitCode;
import io.testrig.core.TestrigException;
import java.util.List;

/**
 * The stack did not come up (exit 4). By the time it is thrown, logs are saved and every container,
 * network and volume of the project is removed. {@link #services()} holds one status per service
 * that got as far as being started or skipped, for the run report.
 */
public final class StackFailedException extends TestrigException {
  private static final long serialVersionUID = 1L;
  private final transient List<ServiceStatus> services;

  StackFailedException(String message, List<ServiceStatus> services, Throwable cause) {
    super(ExitCode.STACK_FAILED, message, cause);
    this.services = List.copyOf(services);
  }

  public List<ServiceStatus> services() {
    return services;
  }
}

package io.testrig.compose;

import io.testrig.backend.ContainerInfo;

/** No check: a started container that is running is ready. */
final class RunningCheck implements Check {
  @Override
  public String describe() {
    return "running";
  }

  @Override
  public String test(ContainerInfo c) {
    return null;
  }
}

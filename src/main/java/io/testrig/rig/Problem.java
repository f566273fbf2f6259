package io.testrig.rig;

/**
 * One thing wrong with a rig, found without starting anything: the key path at fault (like {@code
 * suites[0].service}, which also gives the line) and what is wrong, naming the service or file.
 */
public record Problem(String key, String message) {
  @Override
  public String toString() {
    return key + ": " + message;
  }
}

package io.testrig.backend;

/** Selects what carries label {@code key}, with {@code value} when it is not null. */
public record LabelFilter(String key, String value) {
  public static LabelFilter of(String key, String value) {
    return new LabelFilter(key, value);
  }

  /** The engine API's form: {@code key=value} or {@code key}. */
  @Override
  public String toString() {
    return value == null ? key : key + "=" + value;
  }
}

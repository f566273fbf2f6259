package io.testrig.template;

import io.testrig.secrets.SecretStore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lazy reference into a generator namespace: {@code password}, {@code password.db}, {@code
 * password.db.app}. Attribute access makes a deeper node; only rendering it ({@link #toString()})
 * generates or reads the value, so {@code {{ password.db.app }}} works at any depth without
 * declaring anything. Filters see the value: {@link SecretAwareFilter} unwraps nodes first.
 */
final class SecretNode {
  private final SecretStore store;
  private final String path;
  private final AtomicBoolean touched;

  SecretNode(SecretStore store, String path, AtomicBoolean touched) {
    this.store = store;
    this.path = path;
    this.touched = touched;
  }

  SecretNode child(String key) {
    return new SecretNode(store, path + "." + key, touched);
  }

  String path() {
    return path;
  }

  /** The secret's value, generated on first use; marks the current output as holding a secret. */
  String value() {
    touched.set(true);
    return store.secret(path);
  }

  @Override
  public String toString() {
    return value();
  }

  /** Nodes of the same path are the same secret, so {@code ==} in templates compares paths. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SecretNode n && n.path.equals(path) && n.store == store;
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }
}

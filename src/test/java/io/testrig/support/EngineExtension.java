package io.testrig.support;

import io.testrig.compose.ItSupport;
import io.testrig.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The Docker engine for integration tests: connected once per test JVM (closed when the JVM's tests
 * end), handed to tests as an {@link Engine} parameter or through {@link #engine()}. It takes no
 * lock of its own: the caller runs the ITs under {@code flock /tmp/testrig-engine.lock}
 * (HELPERS.md). After each test it asserts that nothing is left of the projects the test named with
 * {@link #project}: no containers, networks or volumes.
 *
 * <pre>{@code
 * @RegisterExtension static final EngineExtension ENGINE = new EngineExtension();
 * ...
 * String project = ENGINE.project("testrig-it-" + id); // checked after the test
 * }</pre>
 */
public final class EngineExtension
    implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
  /** How long to wait for the engine to answer. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private Engine engine;
  private final List<String> projects = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    engine = shared(context);
  }

  /** The connected engine (after {@code @BeforeAll} callbacks ran). */
  public Engine engine() {
    if (engine == null) {
      throw new IllegalStateException("EngineExtension: register it as a static field");
    }
    return engine;
  }

  /** Names a compose project the current test makes: it must be gone when the test ends. */
  public synchronized String project(String name) {
    projects.add(name);
    return name;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> names;
    synchronized (this) {
      names = List.copyOf(projects);
      projects.clear();
    }
    if (context.getExecutionException().isPresent()) {
      return; // the test's own failure says more than a leftover check after it
    }
    for (String p : names) {
      ItSupport.assertNothingLeft(engine(), p);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == Engine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return shared(c);
  }

  /** One connection for the whole run, closed by JUnit when the root context closes. */
  private static Engine shared(ExtensionContext context) {
    ExtensionContext.Store store =
        context.getRoot().getStore(ExtensionContext.Namespace.create(EngineExtension.class));
    return store.getOrComputeIfAbsent(
            Connection.class, k -> new Connection(Engine.connect(WAIT)), Connection.class)
        .engine;
  }

  private record Connection(Engine engine) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      engine.close();
    }
  }
}

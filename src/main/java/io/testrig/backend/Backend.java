package io.testrig.backend;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything orchestration asks of a container engine, in neutral types: one method per verb, each
 * with a small record of options where it needs more than an id. Shaped after docker/compose's
 * {@code pkg/api/api.go}, whose {@code Compose} interface has one method per verb ({@code Create},
 * {@code Start}, {@code Logs}, {@code Events}, {@code Remove}, ...) each taking an options struct.
 *
 * <p>Implementations: {@code io.testrig.backend.docker.DockerBackend} (testrig's own engine API
 * client) and, for unit tests, {@code FakeBackend} in src/test. Failures the engine reports come
 * back as {@link BackendException} (its {@link BackendException.NotFound} and {@link
 * BackendException.Conflict} kinds where callers tell them apart); a broken connection may surface
 * as any other runtime exception. See docs/development.md, "Architecture", for how a remote or
 * Kubernetes backend would fit.
 */
public interface Backend extends AutoCloseable {

  // ---------------------------------------------------------------- containers

  /** Containers in any state (running, exited, created) carrying the label. */
  List<Resource> listContainers(LabelFilter filter);

  /** The container's state and config; {@link BackendException.NotFound} when it is gone. */
  ContainerInfo inspectContainer(String id);

  /**
   * Creates (does not start) a container; its id. {@link BackendException.NotFound} when the image
   * is not there.
   */
  String createContainer(ContainerSpec spec);

  void startContainer(String id);

  /**
   * Stops with a grace period, then kills (the engine's stop); a container that is not running is
   * left as it is.
   */
  void stopContainer(String id, Duration grace);

  void killContainer(String id);

  /** Removes a container, running or not, with its anonymous volumes. */
  void removeContainer(String id);

  /** Returns when the container is not running or {@code max} passed (whichever first). */
  void awaitStop(String id, Duration max) throws InterruptedException;

  /** Runs a command in a running container; exit -1 when it did not finish within the timeout. */
  ExecResult exec(String id, List<String> cmd, Duration timeout) throws InterruptedException;

  /**
   * Streams the container's log to {@code sink} (stdout and stderr, raw bytes per chunk). Without
   * {@link LogOptions#follow()} the stream ends at the log's end; {@link Subscription#await} waits
   * for that.
   */
  Subscription logs(String id, LogOptions options, Consumer<LogChunk> sink);

  /** Follows container events of the containers carrying the label, from {@code since} on. */
  Subscription events(LabelFilter filter, long sinceEpochSecond, Consumer<ContainerEvent> sink);

  /** Unpacks a tar stream into the (created) container at {@code remotePath}. */
  void copyTo(String id, String remotePath, InputStream tar);

  /** A tar stream of {@code path} in the container; {@link BackendException.NotFound} if absent. */
  InputStream copyFrom(String id, String path);

  // ---------------------------------------------------------------- networks, volumes, images

  List<Resource> listNetworks(LabelFilter filter);

  void removeNetwork(String id);

  List<Resource> listVolumes(LabelFilter filter);

  /** {@link BackendException.Conflict} when a container still uses it. */
  void removeVolume(String name);

  /** Whether an image of that name (or reference) is present. */
  boolean imageExists(String name);

  /** Pulls an image; false when it did not finish within {@code max}. */
  boolean pullImage(String name, Duration max) throws InterruptedException;

  // ---------------------------------------------------------------- compose

  /** The compose steps for one project (config, build, create), run against this engine. */
  ComposeBackend compose(ComposeProject project);

  /** The compose implementation's version line, for {@code testrig engine status}. */
  String composeVersion();

  /** Closes the connection; never throws. */
  @Override
  void close();
}

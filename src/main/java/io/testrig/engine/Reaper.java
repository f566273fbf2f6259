package io.testrig.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.testrig.core.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Removes labelled containers (killed, anonymous volumes included), then networks, then named
 * volumes, through the engine API rather than {@code docker compose down}: no compose process to
 * start, every container removed in parallel, and a killed compose project is handled the same as a
 * live one. Removal is idempotent: something already gone counts as removed.
 */
public final class Reaper {
  private static final long QUIET_POLL_MS = 250;

  private Reaper() {}

  /** What was removed, by name; {@code kept} lists what could not be removed and why. */
  public record Removed(
      List<String> containers, List<String> networks, List<String> volumes, List<String> kept) {
    public boolean isEmpty() {
      return containers.isEmpty() && networks.isEmpty() && volumes.isEmpty();
    }

    public int total() {
      return containers.size() + networks.size() + volumes.size();
    }
  }

  /**
   * Removes every container, network and volume carrying label {@code key=value} (or just {@code
   * key} when value is null) for which {@code select} holds on its labels. With {@code graceful},
   * containers are stopped (10 s, compose's default) before removal; otherwise killed.
   */
  public static Removed remove(
      DockerClient client,
      String key,
      String value,
      Predicate<Map<String, String>> select,
      boolean graceful) {
    return remove(client, key, value, select, graceful, false);
  }

  /**
   * As {@link #remove(DockerClient, String, String, Predicate, boolean)}; with {@code dryRun}
   * nothing is removed and the result names what would have been ({@code gc --dry-run}).
   */
  public static Removed remove(
      DockerClient client,
      String key,
      String value,
      Predicate<Map<String, String>> select,
      boolean graceful,
      boolean dryRun) {
    String filter = value == null ? key : key + "=" + value;
    List<String> kept = new ArrayList<>();
    List<String> removedContainers =
        removeContainers(client, filter, select, graceful, dryRun, kept);
    List<String> removedNetworks = removeNetworks(client, filter, select, dryRun, kept);
    List<String> removedVolumes = removeVolumes(client, filter, select, dryRun, kept);
    return new Removed(removedContainers, removedNetworks, removedVolumes, kept);
  }

  /** Removes the selected containers in parallel; their names without the leading slash. */
  private static List<String> removeContainers(
      DockerClient client,
      String filter,
      Predicate<Map<String, String>> select,
      boolean graceful,
      boolean dryRun,
      List<String> kept) {
    List<Container> containers =
        client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(filter)).exec();
    List<CompletableFuture<String>> removals = new ArrayList<>();
    for (Container c : containers) {
      if (!select.test(c.getLabels())) {
        continue;
      }
      String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0];
      if (dryRun) {
        removals.add(
            CompletableFuture.completedFuture(name.startsWith("/") ? name.substring(1) : name));
        continue;
      }
      removals.add(
          CompletableFuture.supplyAsync(() -> removeContainer(client, c, name, graceful, kept)));
    }
    return collect(removals);
  }

  /** Stops (graceful) or kills and removes one container; null when it had to be kept. */
  private static String removeContainer(
      DockerClient client, Container c, String name, boolean graceful, List<String> kept) {
    try {
      if (graceful) {
        client.stopContainerCmd(c.getId()).withTimeout(10).exec();
      }
      client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Already gone: idempotent.
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("already in progress")) {
        synchronized (kept) {
          kept.add("container " + name + ": " + Text.oneLine(e));
        }
        return null;
      }
    }
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static List<String> removeNetworks(
      DockerClient client,
      String filter,
      Predicate<Map<String, String>> select,
      boolean dryRun,
      List<String> kept) {
    List<String> removedNetworks = new ArrayList<>();
    for (Network n : client.listNetworksCmd().withFilter("label", List.of(filter)).exec()) {
      if (!select.test(n.getLabels())) {
        continue;
      }
      if (dryRun) {
        removedNetworks.add(n.getName());
        continue;
      }
      try {
        client.removeNetworkCmd(n.getId()).exec();
        removedNetworks.add(n.getName());
      } catch (NotFoundException e) {
        removedNetworks.add(n.getName());
      } catch (RuntimeException e) {
        kept.add("network " + n.getName() + ": " + Text.oneLine(e));
      }
    }
    return removedNetworks;
  }

  private static List<String> removeVolumes(
      DockerClient client,
      String filter,
      Predicate<Map<String, String>> select,
      boolean dryRun,
      List<String> kept) {
    List<String> removedVolumes = new ArrayList<>();
    List<InspectVolumeResponse> volumes =
        client.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes();
    for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
      if (!select.test(v.getLabels())) {
        continue;
      }
      if (dryRun) {
        removedVolumes.add(v.getName());
        continue;
      }
      try {
        client.removeVolumeCmd(v.getName()).exec();
        removedVolumes.add(v.getName());
      } catch (NotFoundException e) {
        removedVolumes.add(v.getName());
      } catch (ConflictException e) {
        kept.add("volume " + v.getName() + ": in use");
      } catch (RuntimeException e) {
        kept.add("volume " + v.getName() + ": " + Text.oneLine(e));
      }
    }
    return removedVolumes;
  }

  /**
   * Removes what carries {@code key=value} again and again until one pass finds nothing and at
   * least {@code settle} has passed, or {@code max} is spent. For the interrupt path: a create
   * request a killed compose (or a worker thread) had already sent is still carried out by the
   * engine, so one pass right after the kill can miss a container or network that appears a moment
   * later.
   */
  public static Removed removeUntilQuiet(
      DockerClient client, String key, String value, Duration settle, Duration max) {
    long t0 = System.nanoTime();
    List<String> containers = new ArrayList<>();
    List<String> networks = new ArrayList<>();
    List<String> volumes = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    while (true) {
      Removed r = remove(client, key, value, l -> true, false);
      containers.addAll(r.containers());
      networks.addAll(r.networks());
      volumes.addAll(r.volumes());
      long elapsed = System.nanoTime() - t0;
      boolean quiet = r.isEmpty() && r.kept().isEmpty();
      if ((quiet && elapsed >= settle.toNanos()) || elapsed >= max.toNanos()) {
        kept.addAll(r.kept());
        return new Removed(containers, networks, volumes, kept);
      }
      try {
        Thread.sleep(QUIET_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kept.addAll(r.kept());
        return new Removed(containers, networks, volumes, kept);
      }
    }
  }

  private static List<String> collect(Collection<CompletableFuture<String>> futures) {
    List<String> names = new ArrayList<>();
    for (CompletableFuture<String> f : futures) {
      String n = f.join();
      if (n != null) {
        names.add(n);
      }
    }
    return names;
  }
}

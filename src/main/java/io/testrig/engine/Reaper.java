package io.testrig.engine;

import io.testrig.backend.Backend;
import io.testrig.backend.BackendException;
import io.testrig.backend.LabelFilter;
import io.testrig.backend.Resource;
import io.testrig.core.Parallel;
import io.testrig.core.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Removes labelled containers (stopped at once, anonymous volumes included), then networks, then
 * named volumes, through the engine API rather than {@code docker compose down}: no compose process
 * to start, every container (then network, then volume) removed in parallel on {@link Parallel}'s
 * threads, and a killed compose project is handled the same as a live one. Removal is idempotent:
 * something already gone counts as removed.
 */
public final class Reaper {
  private static final long QUIET_POLL_MS = 250;
  static final long ENDPOINT_WAIT_MS = 30_000;

  /**
   * How many containers are stopped and removed at once: all of a stack's, as {@code compose down}
   * does (a goroutine per container, pkg/compose/down.go), up to this many. With 16 at a time,
   * dockerd 20.10 kept counting an endpoint on the network of 60 healthchecked containers in 4 of
   * 18 teardowns, all at once in none of 18 (alternating, same dockerd, 2 cores), at the same
   * speed; over all of this round's runs 5 of 34 against 1 of 37 (docs/troubleshooting.md).
   */
  static final int CONTAINERS_AT_ONCE = 128;

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
      Backend client,
      String key,
      String value,
      Predicate<Map<String, String>> select,
      boolean graceful) {
    return remove(client, List.of(LabelFilter.of(key, value)), select, graceful);
  }

  /**
   * As {@link #remove(Backend, String, String, Predicate, boolean)} for what carries any of {@code
   * filters} (a project and its run id): the containers of all of them go first, then the networks,
   * then the volumes, so a network is never asked to go while a container of another filter still
   * uses it. The lists of containers, networks and volumes of every filter are asked for at once:
   * each is a round trip to the engine and none depends on another (issue 11).
   */
  public static Removed remove(
      Backend client,
      List<LabelFilter> filters,
      Predicate<Map<String, String>> select,
      boolean graceful) {
    List<Function<LabelFilter, List<Resource>>> kinds =
        List.of(client::listContainers, client::listNetworks, client::listVolumes);
    List<Map.Entry<Integer, LabelFilter>> asks = new ArrayList<>();
    for (int k = 0; k < kinds.size(); k++) {
      for (LabelFilter f : filters) {
        asks.add(Map.entry(k, f));
      }
    }
    List<List<Resource>> found = Parallel.map(asks, a -> kinds.get(a.getKey()).apply(a.getValue()));
    List<List<Resource>> byKind = new ArrayList<>();
    for (int k = 0; k < kinds.size(); k++) {
      Map<String, Resource> unique = new LinkedHashMap<>();
      for (int i = 0; i < asks.size(); i++) {
        if (asks.get(i).getKey() == k) {
          selected(found.get(i), select).forEach(r -> unique.putIfAbsent(r.id(), r));
        }
      }
      byKind.add(new ArrayList<>(unique.values()));
    }
    List<String> kept = new ArrayList<>();
    List<String> removedContainers = removeContainers(client, byKind.get(0), graceful, kept);
    List<String> removedNetworks = removeNetworks(client, byKind.get(1), kept);
    List<String> removedVolumes = removeVolumes(client, byKind.get(2), kept);
    return new Removed(removedContainers, removedNetworks, removedVolumes, kept);
  }

  /**
   * As {@link #remove(Backend, String, String, Predicate, boolean)}; with {@code dryRun} nothing is
   * removed and the result names what would be ({@code gc --dry-run}).
   */
  public static Removed remove(
      Backend client,
      String key,
      String value,
      Predicate<Map<String, String>> select,
      boolean graceful,
      boolean dryRun) {
    if (!dryRun) {
      return remove(client, key, value, select, graceful);
    }
    LabelFilter filter = LabelFilter.of(key, value);
    return new Removed(
        selected(client.listContainers(filter), select).stream().map(Resource::name).toList(),
        selected(client.listNetworks(filter), select).stream().map(Resource::name).toList(),
        selected(client.listVolumes(filter), select).stream().map(Resource::name).toList(),
        List.of());
  }

  /** Removes the selected containers in parallel; their names without the leading slash. */
  private static List<String> removeContainers(
      Backend client, List<Resource> selected, boolean graceful, List<String> kept) {
    return names(
        Parallel.map(
            selected, c -> removeContainer(client, c, graceful, kept), CONTAINERS_AT_ONCE));
  }

  /** Stops (with grace, or at once) and removes one container; null when it had to be kept. */
  private static String removeContainer(
      Backend client, Resource c, boolean graceful, List<String> kept) {
    String name = c.name();
    try {
      // Stopped first, also when killed (no grace), as `compose down -t 0` does: removing a
      // running container at once made dockerd 20.10 keep counting an endpoint on the network
      // after 60 healthchecked containers went in parallel (see docs/troubleshooting.md).
      client.stopContainer(c.id(), graceful ? Duration.ofSeconds(10) : Duration.ZERO);
      client.removeContainer(c.id());
    } catch (BackendException.NotFound e) {
      // Already gone: idempotent.
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("already in progress")) {
        keep(kept, "container " + name + ": " + Text.oneLine(e));
        return null;
      }
    }
    return name;
  }

  /** Removes the selected networks in parallel (their containers are gone by now). */
  private static List<String> removeNetworks(
      Backend client, List<Resource> selected, List<String> kept) {
    return names(
        Parallel.map(
            selected,
            n -> {
              RuntimeException failed = removeNetwork(client, n);
              if (failed != null) {
                keep(kept, keptNetwork(n.name(), failed));
                return null;
              }
              return n.name();
            }));
  }

  /** The engine refused to remove a network because it still counts endpoints on it. */
  private static boolean endpointsCounted(RuntimeException e) {
    return String.valueOf(e.getMessage()).contains("active endpoints");
  }

  /**
   * What a network that could not be removed is reported as. Still "active endpoints" after {@link
   * #ENDPOINT_WAIT_MS} is most likely dockerd 20.10 counting an endpoint of a container that is
   * gone, which only a restart of dockerd clears: the line says so, with the next step
   * (docs/troubleshooting.md, "has active endpoints").
   */
  static String keptNetwork(String name, RuntimeException failed) {
    String line = "network " + name + ": " + Text.oneLine(failed);
    if (!endpointsCounted(failed)) {
      return line;
    }
    return line
        + " (if `docker network inspect "
        + name
        + "` shows no container on it, dockerd lost count of its endpoints: restart dockerd,"
        + " then remove it again; see docs/troubleshooting.md)";
  }

  /**
   * Removes one network; the failure, or null. The engine releases a killed container's endpoint
   * when it handles the container's exit, which can come just after the container's removal
   * returned: "has active endpoints" right after removing its last containers is retried for up to
   * {@link #ENDPOINT_WAIT_MS} ms (seen with 30 containers removed in parallel under load, for more
   * than 5 s at load average 10 on 2 cores).
   */
  private static RuntimeException removeNetwork(Backend client, Resource n) {
    long deadline = System.nanoTime() + ENDPOINT_WAIT_MS * 1_000_000L;
    while (true) {
      try {
        client.removeNetwork(n.id());
        return null;
      } catch (BackendException.NotFound e) {
        return null; // Already gone: idempotent.
      } catch (RuntimeException e) {
        if (!endpointsCounted(e) || System.nanoTime() > deadline) {
          return e;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted while removing network " + n.name());
      }
    }
  }

  /** Removes the selected named volumes in parallel. */
  private static List<String> removeVolumes(
      Backend client, List<Resource> selected, List<String> kept) {
    return names(
        Parallel.map(
            selected,
            v -> {
              try {
                client.removeVolume(v.name());
              } catch (BackendException.NotFound e) {
                // Already gone: idempotent.
              } catch (BackendException.Conflict e) {
                keep(kept, "volume " + v.name() + ": in use");
                return null;
              } catch (RuntimeException e) {
                keep(kept, "volume " + v.name() + ": " + Text.oneLine(e));
                return null;
              }
              return v.name();
            }));
  }

  private static List<Resource> selected(
      List<Resource> found, Predicate<Map<String, String>> select) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : found) {
      if (select.test(r.labels())) {
        out.add(r);
      }
    }
    return out;
  }

  private static void keep(List<String> kept, String why) {
    synchronized (kept) {
      kept.add(why);
    }
  }

  /**
   * Removes what carries {@code key=value} again and again until one pass finds nothing and at
   * least {@code settle} has passed, or {@code max} is spent. For the interrupt path: a create
   * request a killed compose (or a worker thread) had already sent is still carried out by the
   * engine, so one pass right after the kill can miss a container or network that appears a moment
   * later.
   */
  public static Removed removeUntilQuiet(
      Backend client, String key, String value, Duration settle, Duration max) {
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

  /** The names removed, in order; null marks one that was kept. */
  private static List<String> names(List<String> results) {
    List<String> names = new ArrayList<>();
    for (String n : results) {
      if (n != null) {
        names.add(n);
      }
    }
    return names;
  }
}

package io.testrig.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Ports;
import io.testrig.rig.StackSpec.ProbeSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One readiness check, tried on a fast schedule against one running container. Each returns null
 * when ready, or a short reason why not (kept for the timeout message).
 */
abstract class Check implements AutoCloseable {
  /** What the status reports as {@code how}. */
  abstract String describe();

  /** Null when ready, else why not. */
  abstract String test(InspectContainerResponse container) throws InterruptedException;

  @Override
  public void close() {}

  /**
   * The container's healthcheck (compose's {@code healthcheck:} or the image's HEALTHCHECK, as the
   * engine resolved it), or null when it has none or it is disabled.
   */
  static Check healthcheck(DockerClient client, InspectContainerResponse c) {
    HealthCheck hc = c.getConfig() == null ? null : c.getConfig().getHealthcheck();
    if (hc == null || hc.getTest() == null || hc.getTest().isEmpty()) {
      return null;
    }
    List<String> test = hc.getTest();
    List<String> cmd;
    // Forms per https://docs.docker.com/reference/dockerfile/#healthcheck: NONE, CMD, CMD-SHELL.
    switch (test.get(0)) {
      case "NONE":
        return null;
      case "CMD":
        cmd = test.subList(1, test.size());
        break;
      case "CMD-SHELL":
        // Linux containers: the engine runs CMD-SHELL with /bin/sh -c (SHELL only matters on
        // Windows images, which testrig does not support).
        cmd = new ArrayList<>(List.of("/bin/sh", "-c"));
        cmd.add(String.join(" ", test.subList(1, test.size())));
        break;
      default:
        cmd = test;
    }
    // The engine's own timeout for one try (nanoseconds; default 30 s), bounded: a try that hangs
    // must not hide a later success.
    long nanos =
        hc.getTimeout() == null || hc.getTimeout() <= 0 ? 30_000_000_000L : hc.getTimeout();
    Duration timeout = Duration.ofNanos(Math.min(nanos, 5_000_000_000L));
    return new ExecCheck(client, "healthcheck", cmd, timeout);
  }

  /** The rig's probe for a service without a healthcheck. */
  static Check probe(
      DockerClient client,
      ProbeSpec p,
      boolean local,
      String engineHost,
      Function<String, String> serviceIp) {
    if (p.tcp() != null) {
      return new TcpCheck(p.tcp(), local, engineHost);
    }
    if (p.http() != null) {
      return new HttpCheck(p.http(), local, serviceIp);
    }
    if (p.log() != null) {
      return new LogCheck(client, Pattern.compile(p.log()));
    }
    return new ExecCheck(client, "probe command", p.command(), Duration.ofSeconds(5));
  }

  /** No check: a started container that is running is ready. */
  static Check running() {
    return new Check() {
      @Override
      String describe() {
        return "running";
      }

      @Override
      String test(InspectContainerResponse c) {
        return null;
      }
    };
  }

  /** The container's address on its first network with one, or null. */
  static String ip(InspectContainerResponse c) {
    if (c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null) {
      return null;
    }
    for (ContainerNetwork n : c.getNetworkSettings().getNetworks().values()) {
      if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) {
        return n.getIpAddress();
      }
    }
    return null;
  }

  static final class ExecCheck extends Check {
    private final DockerClient client;
    private final String kind;
    private final List<String> cmd;
    private final Duration timeout;

    ExecCheck(DockerClient client, String kind, List<String> cmd, Duration timeout) {
      this.client = client;
      this.kind = kind;
      this.cmd = List.copyOf(cmd);
      this.timeout = timeout;
    }

    @Override
    String describe() {
      return kind;
    }

    @Override
    String test(InspectContainerResponse c) throws InterruptedException {
      DockerExec.Outcome o = DockerExec.run(client, c.getId(), cmd, timeout);
      if (o.ok()) {
        return null;
      }
      String out = o.output().replace('\n', ' ');
      if (out.length() > 200) {
        out = out.substring(0, 200) + "...";
      }
      return kind
          + " "
          + cmd
          + " failing (exit "
          + o.exitCode()
          + (out.isEmpty() ? "" : ": " + out)
          + ")";
    }
  }

  /**
   * TCP connect. A local engine's containers are reachable at their bridge IPs; a remote engine
   * (tcp DOCKER_HOST, e.g. a docker:dind service) only through published ports on its host.
   */
  static final class TcpCheck extends Check {
    private final int port;
    private final boolean local;
    private final String engineHost;

    TcpCheck(int port, boolean local, String engineHost) {
      this.port = port;
      this.local = local;
      this.engineHost = engineHost;
    }

    @Override
    String describe() {
      return "probe tcp " + port;
    }

    @Override
    String test(InspectContainerResponse c) {
      InetSocketAddress addr;
      if (local) {
        String ip = ip(c);
        if (ip == null) {
          return "no container address";
        }
        addr = new InetSocketAddress(ip, port);
      } else {
        Ports.Binding[] b =
            c.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(port));
        if (b == null || b.length == 0) {
          return "port " + port + " is not published (needed with a remote engine)";
        }
        addr = new InetSocketAddress(engineHost, Integer.parseInt(b[0].getHostPortSpec()));
      }
      try (Socket s = new Socket()) {
        s.connect(addr, 250);
        return null;
      } catch (IOException e) {
        return "tcp " + addr + ": " + e.getMessage();
      }
    }
  }

  /** HTTP GET; 2xx or 3xx is ready. A host that is a service name means its container. */
  static final class HttpCheck extends Check {
    private static final HttpClient HTTP =
        HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final String url;
    private final boolean local;
    private final Function<String, String> serviceIp;

    HttpCheck(String url, boolean local, Function<String, String> serviceIp) {
      this.url = url;
      this.local = local;
      this.serviceIp = serviceIp;
    }

    @Override
    String describe() {
      return "probe http " + url;
    }

    @Override
    String test(InspectContainerResponse c) throws InterruptedException {
      URI u = URI.create(url);
      String host = u.getHost();
      String ip = local ? serviceIp.apply(host) : null;
      URI target = u;
      if (ip != null) {
        target =
            URI.create(
                u.getScheme()
                    + "://"
                    + ip
                    + (u.getPort() > 0 ? ":" + u.getPort() : "")
                    + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
      }
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(1)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() < 400 ? null : "http " + url + ": status " + r.statusCode();
      } catch (IOException e) {
        return "http " + url + ": " + e;
      }
    }
  }

  /** A log line matching a regex; follows each container's log stream once. */
  static final class LogCheck extends Check {
    private final DockerClient client;
    private final Pattern pattern;
    private final Map<String, Follow> follows = new ConcurrentHashMap<>();

    LogCheck(DockerClient client, Pattern pattern) {
      this.client = client;
      this.pattern = pattern;
    }

    @Override
    String describe() {
      return "probe log /" + pattern + "/";
    }

    @Override
    String test(InspectContainerResponse c) {
      Follow f = follows.computeIfAbsent(c.getId(), id -> new Follow(client, id, pattern));
      return f.matched ? null : "no log line matches /" + pattern + "/ yet";
    }

    @Override
    public void close() {
      follows.values().forEach(Follow::close);
    }

    private static final class Follow {
      private final ResultCallback.Adapter<Frame> cb;
      private final StringBuilder partial = new StringBuilder();
      volatile boolean matched;

      Follow(DockerClient client, String id, Pattern pattern) {
        cb =
            client
                .logContainerCmd(id)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(true)
                .exec(
                    new ResultCallback.Adapter<>() {
                      @Override
                      public void onNext(Frame frame) {
                        synchronized (partial) {
                          partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                          int nl;
                          while ((nl = partial.indexOf("\n")) >= 0) {
                            if (pattern.matcher(partial.substring(0, nl)).find()) {
                              matched = true;
                            }
                            partial.delete(0, nl + 1);
                          }
                          if (pattern.matcher(partial).find()) {
                            matched = true;
                          }
                        }
                      }
                    });
      }

      void close() {
        try {
          cb.close();
        } catch (IOException e) {
          // Stream gone either way.
        }
      }
    }
  }
}

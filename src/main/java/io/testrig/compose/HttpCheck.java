package io.testrig.compose;

import io.testrig.backend.ContainerInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/** HTTP GET; 2xx or 3xx is ready. A host that is a service name means its container. */
final class HttpCheck implements Check {
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
  public String describe() {
    return "probe http " + url;
  }

  @Override
  public String test(ContainerInfo c) throws InterruptedException {
    URI u = URI.create(url);
    String ip = local ? serviceIp.apply(u.getHost()) : null;
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

package io.testrig.compose;

import io.testrig.backend.ContainerInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * TCP connect. A local engine's containers are reachable at their bridge IPs; a remote engine (tcp
 * DOCKER_HOST, e.g. a docker:dind service) only through published ports on its host.
 */
final class TcpCheck implements Check {
  private final int port;
  private final boolean local;
  private final String engineHost;

  TcpCheck(int port, boolean local, String engineHost) {
    this.port = port;
    this.local = local;
    this.engineHost = engineHost;
  }

  @Override
  public String describe() {
    return "probe tcp " + port;
  }

  @Override
  public String test(ContainerInfo c) {
    InetSocketAddress addr;
    if (local) {
      if (c.ip() == null) {
        return "no container address";
      }
      addr = new InetSocketAddress(c.ip(), port);
    } else {
      String published = c.tcpPorts().get(port);
      if (published == null) {
        return "port " + port + " is not published (needed with a remote engine)";
      }
      addr = new InetSocketAddress(engineHost, Integer.parseInt(published));
    }
    try (Socket s = new Socket()) {
      s.connect(addr, 250);
      return null;
    } catch (IOException e) {
      return "tcp " + addr + ": " + e.getMessage();
    }
  }
}

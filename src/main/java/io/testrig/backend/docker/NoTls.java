package io.testrig.backend.docker;

import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context handed to docker-java's HTTP client when the engine connection has no TLS (a unix
 * socket, or tcp without DOCKER_TLS_VERIFY). Without one, the client builds the JDK's default
 * context, which loads the JSSE provider and reads the cacerts trust store on every command start
 * although nothing on the connection ever uses it (issue 11: fixed cost per command). Any use is a
 * bug and fails loudly.
 */
final class NoTls {
  private NoTls() {}

  static SSLContext context() {
    return new SSLContext(new Spi(), new Provider("testrig-no-tls", "1", "no TLS") {}, "none") {};
  }

  private static final class Spi extends SSLContextSpi {
    private static IllegalStateException off() {
      return new IllegalStateException("TLS is off on this engine connection");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw off();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw off();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw off();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw off();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw off();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw off();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw off();
    }
  }
}

package io.testrig.pki;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a JVM service does with testrig's stores: an SSLContext from the PKCS12 truststore (and, for
 * client-certificate auth, the PKCS12 keystore), with the JDK's own PKIX trust manager. pgjdbc
 * instantiates it through {@code sslfactory}, passing the connection properties; hostname
 * verification for {@code sslmode=verify-full} stays pgjdbc's own.
 */
public final class Pkcs12SocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;

  public Pkcs12SocketFactory(Properties info) throws GeneralSecurityException, IOException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(
        load(
            info.getProperty("testrig.truststore"),
            info.getProperty("testrig.truststore.password")));
    KeyManagerFactory kmf = null;
    String ks = info.getProperty("testrig.keystore");
    if (ks != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      String pw = info.getProperty("testrig.keystore.password");
      kmf.init(load(ks, pw), pw.toCharArray());
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    delegate = ctx.getSocketFactory();
  }

  private static KeyStore load(String file, String password)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose)
      throws IOException {
    return delegate.createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return delegate.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return delegate.createSocket(address, port, localAddress, localPort);
  }
}

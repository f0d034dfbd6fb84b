package dev.herald.webhooks.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the TLS context: the JDK's trust store, plus the certificates of an optional CA bundle.
 */
public final class TrustManagers {

  private TrustManagers() {}

  /**
   * A TLS context that trusts the JDK's CAs and, when given, those in {@code caBundle}.
   *
   * @param bundleKey the configuration key of the bundle, for error messages
   * @throws IllegalArgumentException naming {@code bundleKey} when the bundle cannot be read or
   *     holds no certificate
   */
  public static SSLContext sslContext(Optional<Path> caBundle, String bundleKey) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager(caBundle, bundleKey)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * The trust manager of {@link #sslContext}: the JDK's, or one that trusts what either the JDK's
   * or the bundle's trusts.
   */
  public static X509ExtendedTrustManager trustManager(Optional<Path> caBundle, String bundleKey) {
    try {
      X509ExtendedTrustManager jdk = trustManager(null);
      if (caBundle.isEmpty()) {
        return jdk;
      }
      return new EitherTrustManager(jdk, trustManager(bundle(caBundle.get(), bundleKey)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot build a trust manager: " + e.getMessage(), e);
    }
  }

  private static KeyStore bundle(Path path, String key) throws GeneralSecurityException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(path)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          key + " '" + path + "' is not a readable PEM file of certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          key + " '" + path + "' holds no certificate; expected PEM blocks (BEGIN CERTIFICATE)");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an empty key store", e);
    }
    int i = 0;
    for (Certificate certificate : certificates) {
      store.setCertificateEntry("herald-ca-" + i++, certificate);
    }
    return store;
  }

  /** The default algorithm's trust manager over {@code store}; null means the JDK's trust store. */
  private static X509ExtendedTrustManager trustManager(KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JDK offers no X.509 trust manager");
  }

  /**
   * Trusts a server chain that either delegate trusts. Both are full PKIX trust managers, so each
   * still checks validity, key usage and (through the SSL parameters) the host name.
   */
  private static final class EitherTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager first;
    private final X509ExtendedTrustManager second;

    EitherTrustManager(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
      this.first = first;
      this.second = second;
    }

    @FunctionalInterface
    private interface Check {
      void run(X509ExtendedTrustManager manager) throws CertificateException;
    }

    private void either(Check check) throws CertificateException {
      try {
        check.run(first);
      } catch (CertificateException e) {
        try {
          check.run(second);
        } catch (CertificateException again) {
          e.addSuppressed(again);
          throw e;
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      either(m -> m.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      either(m -> m.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      either(m -> m.checkServerTrusted(chain, authType, engine));
    }

    // Herald is never a TLS server here; client checks only need to be consistent.
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      either(m -> m.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      either(m -> m.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      either(m -> m.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> issuers = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      issuers.addAll(List.of(second.getAcceptedIssuers()));
      return issuers.toArray(new X509Certificate[0]);
    }
  }
}

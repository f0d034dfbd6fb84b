package dev.herald.webhooks.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TrustManagersTest {

  @Test
  void withoutABundleTrustsExactlyTheJdkAuthorities() throws Exception {
    X509Certificate[] jdk = jdkIssuers();

    X509Certificate[] issuers =
        TrustManagers.trustManager(Optional.empty(), "key").getAcceptedIssuers();

    assertThat(jdk).isNotEmpty();
    assertThat(issuers).containsExactlyInAnyOrder(jdk);
  }

  private static X509Certificate[] jdkIssuers() throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers();
  }
}

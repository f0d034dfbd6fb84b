package dev.herald.webhooks.transport.http;

import static dev.herald.webhooks.transport.http.Receivers.config;
import static dev.herald.webhooks.transport.http.Receivers.loopbackAllowed;
import static dev.herald.webhooks.transport.http.Receivers.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.core.tls.TrustManagers;
import dev.herald.webhooks.spi.SendOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS verification stays on; a configured CA bundle adds trust, for loopback HTTPS receivers. */
class HttpTransportTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static Path pem;
  private static Receivers.Recording receiver;

  @BeforeAll
  static void selfSignedReceiver() throws Exception {
    Path keystore = dir.resolve("receiver.p12");
    pem = dir.resolve("receiver.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "receiver",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "receiver",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    receiver = Receivers.Recording.https(context);
  }

  @AfterAll
  static void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue())
        .as("keytool %s: %s", args[0], Files.readString(dir.resolve("keytool.log")))
        .isZero();
  }

  @Test
  void rejectsASelfSignedCertificate() {
    int before = receiver.requests.size();
    try (HttpTransport transport =
        new HttpTransport(HttpTransportSettings.from(config(loopbackAllowed())))) {
      SendOutcome outcome = transport.send(message(receiver.url("https", "127.0.0.1", "/hook")));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> assertThat(retry.error().type()).isEqualTo("tls_failure"));
      assertThat(receiver.requests).hasSize(before);
    }
  }

  @Test
  void trustsTheCertificateFromTheCaBundle() {
    try (HttpTransport transport =
        new HttpTransport(
            HttpTransportSettings.from(
                config(loopbackAllowed(HttpTransportSettings.CA_BUNDLE, pem.toString()))))) {
      SendOutcome outcome = transport.send(message(receiver.url("https", "127.0.0.1", "/hook")));

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
    }
  }

  @Test
  void stillVerifiesTheHostNameOfATrustedCertificate() {
    int before = receiver.requests.size();
    try (HttpTransport transport =
        new HttpTransport(
            HttpTransportSettings.from(
                config(loopbackAllowed(HttpTransportSettings.CA_BUNDLE, pem.toString()))),
            host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})},
            Clock.systemUTC())) {
      SendOutcome outcome =
          transport.send(message(receiver.url("https", "wrong-name.test", "/hook")));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> assertThat(retry.error().type()).isEqualTo("tls_failure"));
      assertThat(receiver.requests).hasSize(before);
    }
  }

  @Test
  void caBundleAddsToTheJdkTrustStoreInsteadOfReplacingIt() throws Exception {
    X509Certificate[] jdk =
        TrustManagers.trustManager(Optional.empty(), HttpTransportSettings.CA_BUNDLE)
            .getAcceptedIssuers();

    X509Certificate[] withBundle =
        TrustManagers.trustManager(Optional.of(pem), HttpTransportSettings.CA_BUNDLE)
            .getAcceptedIssuers();

    assertThat(jdk).isNotEmpty();
    assertThat(withBundle).hasSize(jdk.length + 1).contains(jdk);
    assertThat(withBundle)
        .anySatisfy(
            c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost"));
  }

  @Test
  void refusesACaBundleWithoutCertificates() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(
            () ->
                new HttpTransport(
                    HttpTransportSettings.from(
                        config(
                            loopbackAllowed(HttpTransportSettings.CA_BUNDLE, empty.toString())))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(HttpTransportSettings.CA_BUNDLE);
  }
}

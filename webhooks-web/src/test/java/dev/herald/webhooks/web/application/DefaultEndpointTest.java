package dev.herald.webhooks.web.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.config.DefaultEndpointSettings;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfSettings;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.SigningSecret;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.store.jpa.JpaStores;
import dev.herald.webhooks.store.jpa.StoreConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default endpoint follows the environment across restarts, on the embedded store. */
class DefaultEndpointTest {
  private static final Instant GRACE_END = Instant.parse("2099-01-01T00:00:00Z");
  private static final SsrfPolicy PUBLIC_ONLY = new SsrfPolicy(SsrfSettings.defaults());

  @TempDir Path directory;
  private JpaStore store;

  @BeforeEach
  void open() {
    store = JpaStores.open(StoreConfig.embedded(directory, 2, Optional.empty()));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Endpoint provision(DefaultEndpointSettings wanted) {
    return DefaultEndpoint.provision(store, wanted, PUBLIC_ONLY, 10, GRACE_END);
  }

  private static DefaultEndpointSettings standard(String url, String secret) {
    return new DefaultEndpointSettings(url, secret, SignatureProfile.STANDARD, null);
  }

  @Test
  void createsTheTenantAndAnEndpointForEveryEventOnce() {
    String secret = WebhookSecrets.generate();
    Endpoint first = provision(standard("https://hooks.example.com/in", secret));
    assertThat(first.tenantId()).isEqualTo("default");
    assertThat(first.eventTypes()).containsExactly("*");
    assertThat(first.secrets()).extracting(SigningSecret::value).containsExactly(secret);
    assertThat(store.findTenant("default")).isPresent();

    Endpoint again = provision(standard("https://hooks.example.com/in", secret));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(store.list("default", null, 10).items()).hasSize(1);
  }

  @Test
  void aNewUrlMovesTheEndpointAndANewSecretIsARotation() {
    String oldSecret = WebhookSecrets.generate();
    Endpoint first = provision(standard("https://hooks.example.com/in", oldSecret));
    String newSecret = WebhookSecrets.generate();
    Endpoint moved = provision(standard("https://hooks.example.com/v2", newSecret));
    assertThat(moved.id()).isEqualTo(first.id());
    assertThat(moved.url()).isEqualTo("https://hooks.example.com/v2");
    assertThat(moved.secrets())
        .extracting(SigningSecret::value)
        .containsExactly(newSecret, oldSecret);
    assertThat(moved.secrets().get(1).expiresAt()).isEqualTo(GRACE_END);
  }

  @Test
  void aNewSignatureProfileReplacesTheEndpointAndKeepsTheOldOneDisabled() {
    Endpoint first = provision(standard("https://hooks.example.com/in", WebhookSecrets.generate()));
    Endpoint legacy =
        provision(
            new DefaultEndpointSettings(
                "https://hooks.example.com/in",
                "s3cret",
                SignatureProfile.LEGACY_HEX,
                "Continuum"));
    assertThat(legacy.id()).isNotEqualTo(first.id());
    assertThat(legacy.signatureProfile()).isEqualTo(SignatureProfile.LEGACY_HEX);
    Endpoint old = store.find("default", first.id()).orElseThrow();
    assertThat(old.active()).isFalse();
    assertThat(old.disabledReason()).contains("WEBHOOK_SIGNATURE_PROFILE");
  }

  @Test
  void aDeletedDefaultEndpointComesBackAtTheNextStart() {
    Endpoint first = provision(standard("https://hooks.example.com/in", WebhookSecrets.generate()));
    store.delete("default", first.id());
    Endpoint recreated =
        provision(standard("https://hooks.example.com/in", WebhookSecrets.generate()));
    assertThat(recreated.id()).isNotEqualTo(first.id());
  }

  @Test
  void aRefusedUrlCreatesNothing() {
    assertThatThrownBy(
            () -> provision(standard("http://169.254.169.254/latest", WebhookSecrets.generate())))
        .isInstanceOf(SsrfViolationException.class);
    assertThat(store.findTenant("default")).isEmpty();
  }
}

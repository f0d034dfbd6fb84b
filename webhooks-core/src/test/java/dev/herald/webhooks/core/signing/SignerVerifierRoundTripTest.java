package dev.herald.webhooks.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.json.EnvelopeJson;
import dev.herald.webhooks.spi.SigningSecret;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerificationException;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the core signs, the receivers' verifier jar accepts. */
class SignerVerifierRoundTripTest {
  private static final Instant NOW = Instant.parse("2026-11-23T21:15:03Z");

  private static Event event() {
    return new Event(
        "evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S",
        "memory.created",
        NOW,
        "acme",
        "k",
        1,
        "memory/1",
        1,
        Map.of("memory_id", "1", "user_id", "u", "content_preview", "café 🚀"),
        Map.of());
  }

  @Test
  void standardProfileVerifiesWithTheVerifierJar() throws Exception {
    String secret = WebhookSecrets.generate();
    byte[] body = EnvelopeJson.encode(event(), SignatureProfile.STANDARD);
    Map<String, String> headers =
        new WebhookSigner(SignatureProfile.STANDARD, null, List.of(new SigningSecret(secret, null)))
            .sign(event().id(), event().type(), body, NOW);
    VerifiedWebhook verified =
        WebhookVerifier.builder()
            .secret(secret)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build()
            .verify(headers, body);
    assertThat(verified.id()).isEqualTo(event().id());
  }

  @Test
  void legacyHexProfileVerifiesWithTheVerifierJar() throws Exception {
    byte[] body = EnvelopeJson.encode(event(), SignatureProfile.LEGACY_HEX);
    Map<String, String> headers =
        new WebhookSigner(
                SignatureProfile.LEGACY_HEX,
                "Continuum",
                List.of(new SigningSecret("shared", null)))
            .sign("dlv_1", event().type(), body, NOW);
    VerifiedWebhook verified =
        WebhookVerifier.builder()
            .secret("shared")
            .legacyHex("Continuum")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build()
            .verify(headers, body);
    assertThat(verified.id()).isEqualTo("dlv_1");
    assertThat(verified.eventType()).isEqualTo("memory.created");
  }

  @Test
  void receiverWithOnlyTheOldSecretStillVerifiesDuringRotation() throws Exception {
    String oldSecret = WebhookSecrets.generate();
    byte[] body = EnvelopeJson.encode(event(), SignatureProfile.STANDARD);
    Map<String, String> headers =
        new WebhookSigner(
                SignatureProfile.STANDARD,
                null,
                List.of(
                    new SigningSecret(WebhookSecrets.generate(), null),
                    new SigningSecret(oldSecret, NOW.plusSeconds(3600))))
            .sign(event().id(), event().type(), body, NOW);
    assertThat(
            WebhookVerifier.builder()
                .secret(oldSecret)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build()
                .verify(headers, body)
                .id())
        .isEqualTo(event().id());
  }

  @Test
  void tamperedBodyFails() {
    String secret = WebhookSecrets.generate();
    byte[] body = EnvelopeJson.encode(event(), SignatureProfile.STANDARD);
    Map<String, String> headers =
        new WebhookSigner(SignatureProfile.STANDARD, null, List.of(new SigningSecret(secret, null)))
            .sign(event().id(), event().type(), body, NOW);
    body[body.length - 2] ^= 1;
    WebhookVerificationException e =
        catchThrowableOfType(
            WebhookVerificationException.class,
            () ->
                WebhookVerifier.builder()
                    .secret(secret)
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build()
                    .verify(headers, body));
    assertThat(e.reason()).isEqualTo(WebhookVerificationException.Reason.NO_MATCHING_SIGNATURE);
  }
}

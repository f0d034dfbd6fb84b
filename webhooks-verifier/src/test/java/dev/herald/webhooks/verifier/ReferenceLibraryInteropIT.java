package dev.herald.webhooks.verifier;

import static dev.herald.webhooks.verifier.TestScenario.OTHER_STANDARD_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_BODY;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_ID;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_SIGNATURE;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks agreement with {@code com.standardwebhooks.Webhook}. Its {@code verify} reads the system
 * clock, so requests checked by both are signed at the current second and our verifier's clock is
 * fixed at that same second.
 */
class ReferenceLibraryInteropIT {

  private static final String EMOJI_BODY = "{\"text\": \"café 🚀 \\ud83d\\ude80\"}";

  private final long now = Instant.now().getEpochSecond();

  @Test
  void referenceLibraryReproducesSpecTestVector() throws Exception {
    assertThat(new Webhook(SPEC_SECRET).sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
        .isEqualTo(SPEC_SIGNATURE);
  }

  @Test
  void referenceSignatureVerifies() throws Exception {
    String signature = new Webhook(SPEC_SECRET).sign("msg_ref_1", now, SPEC_BODY);
    assertThat(ours(SPEC_SECRET).verify(headers("msg_ref_1", signature), SPEC_BODY).id())
        .isEqualTo("msg_ref_1");
  }

  @Test
  void referenceSignatureOfEmojiBodyVerifies() throws Exception {
    String signature = new Webhook(SPEC_SECRET).sign("msg_ref_2", now, EMOJI_BODY);
    Map<String, List<String>> headers = headers("msg_ref_2", signature);
    new Webhook(SPEC_SECRET).verify(EMOJI_BODY, headers);
    assertThat(ours(SPEC_SECRET).verify(headers, TestScenario.utf8(EMOJI_BODY))).isNotNull();
  }

  @Test
  void referenceAcceptsOurRotationHeaderAndSoDoWe() throws Exception {
    String ref = new Webhook(SPEC_SECRET).sign("msg_ref_3", now, SPEC_BODY);
    String other = new Webhook(OTHER_STANDARD_SECRET).sign("msg_ref_3", now, SPEC_BODY);
    Map<String, List<String>> headers = headers("msg_ref_3", other + " " + ref);
    new Webhook(SPEC_SECRET).verify(SPEC_BODY, headers);
    assertThat(ours(SPEC_SECRET).verify(headers, SPEC_BODY)).isNotNull();
  }

  @Test
  void rejectsTamperedBodyLikeReferenceLibrary() throws Exception {
    String signature = new Webhook(SPEC_SECRET).sign("msg_ref_4", now, SPEC_BODY);
    Map<String, List<String>> headers = headers("msg_ref_4", signature);
    String tampered = SPEC_BODY.replace("2432232314", "2432232315");

    assertThatThrownBy(() -> new Webhook(SPEC_SECRET).verify(tampered, headers))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    assertThatThrownBy(() -> ours(SPEC_SECRET).verify(headers, tampered))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void rejectsWrongSecretLikeReferenceLibrary() throws Exception {
    String signature = new Webhook(SPEC_SECRET).sign("msg_ref_5", now, SPEC_BODY);
    Map<String, List<String>> headers = headers("msg_ref_5", signature);

    assertThatThrownBy(() -> new Webhook(OTHER_STANDARD_SECRET).verify(SPEC_BODY, headers))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    assertThatThrownBy(() -> ours(OTHER_STANDARD_SECRET).verify(headers, SPEC_BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void rejectsTruncatedSignatureLikeReferenceLibrary() throws Exception {
    String signature = new Webhook(SPEC_SECRET).sign("msg_ref_6", now, SPEC_BODY);
    Map<String, List<String>> headers = headers("msg_ref_6", signature.substring(0, 23));

    assertThatThrownBy(() -> new Webhook(SPEC_SECRET).verify(SPEC_BODY, headers))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    assertThatThrownBy(() -> ours(SPEC_SECRET).verify(headers, SPEC_BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  private Map<String, List<String>> headers(String id, String signature) {
    return Map.of(
        "webhook-id", List.of(id),
        "webhook-timestamp", List.of(Long.toString(now)),
        "webhook-signature", List.of(signature));
  }

  private WebhookVerifier ours(String secret) {
    return WebhookVerifier.builder()
        .secret(secret)
        .clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC))
        .build();
  }
}

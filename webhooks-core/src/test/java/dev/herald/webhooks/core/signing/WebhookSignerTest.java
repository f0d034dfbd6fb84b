package dev.herald.webhooks.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.spi.SigningSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Instant SPEC_TIME = Instant.ofEpochSecond(1614265330);
  private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  private static WebhookSigner standard(String... secrets) {
    return new WebhookSigner(
        SignatureProfile.STANDARD,
        null,
        java.util.Arrays.stream(secrets).map(s -> new SigningSecret(s, null)).toList());
  }

  private static Map<String, List<String>> asMultiMap(Map<String, String> headers) {
    return headers.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }

  @Test
  void matchesTheStandardWebhooksSpecVector() {
    Map<String, String> headers =
        standard(SPEC_SECRET).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", "t", SPEC_BODY, SPEC_TIME);
    assertThat(headers)
        .containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
        .containsEntry("webhook-timestamp", "1614265330")
        .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void referenceLibraryVerifiesOurSignature() throws Exception {
    String secret = WebhookSecrets.generate();
    byte[] body =
        "{\"id\":\"evt_1\",\"data\":{\"text\":\"café 🚀\"}}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        standard(secret).sign("evt_1", "memory.created", body, Instant.now());
    Map<String, List<String>> httpHeaders = asMultiMap(headers);
    new Webhook(secret).verify(new String(body, StandardCharsets.UTF_8), httpHeaders);
  }

  @Test
  void referenceLibraryRejectsATamperedBody() {
    String secret = WebhookSecrets.generate();
    Map<String, String> headers =
        standard(secret)
            .sign("evt_1", "t", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Instant.now());
    Map<String, List<String>> httpHeaders = asMultiMap(headers);
    assertThatThrownBy(() -> new Webhook(secret).verify("{\"a\":2}", httpHeaders))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void signsWithBothSecretsDuringRotation() {
    String newSecret = WebhookSecrets.generate();
    String oldSecret = WebhookSecrets.generate();
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    WebhookSigner signer =
        new WebhookSigner(
            SignatureProfile.STANDARD,
            null,
            List.of(
                new SigningSecret(newSecret, null),
                new SigningSecret(oldSecret, now.plus(Duration.ofHours(24)))));
    String signatures = signer.sign("evt_1", "t", SPEC_BODY, now).get("webhook-signature");
    String[] parts = signatures.split(" ");
    assertThat(parts).hasSize(2);
    assertThat(parts[0])
        .isEqualTo(standard(newSecret).sign("evt_1", "t", SPEC_BODY, now).get("webhook-signature"));
    assertThat(parts[1])
        .isEqualTo(standard(oldSecret).sign("evt_1", "t", SPEC_BODY, now).get("webhook-signature"));
  }

  @Test
  void dropsTheOldSecretAfterTheGracePeriod() {
    String newSecret = WebhookSecrets.generate();
    Instant expiry = Instant.parse("2026-11-24T12:00:00Z");
    WebhookSigner signer =
        new WebhookSigner(
            SignatureProfile.STANDARD,
            null,
            List.of(
                new SigningSecret(newSecret, null),
                new SigningSecret(WebhookSecrets.generate(), expiry)));
    assertThat(signer.sign("evt_1", "t", SPEC_BODY, expiry).get("webhook-signature").split(" "))
        .hasSize(1);
  }

  @Test
  void freshTimestampPerAttemptSameId() {
    WebhookSigner signer = standard(SPEC_SECRET);
    Map<String, String> first = signer.sign("evt_1", "t", SPEC_BODY, SPEC_TIME);
    Map<String, String> second = signer.sign("evt_1", "t", SPEC_BODY, SPEC_TIME.plusSeconds(5));
    assertThat(second.get("webhook-id")).isEqualTo(first.get("webhook-id"));
    assertThat(second.get("webhook-timestamp")).isEqualTo("1614265335");
    assertThat(second.get("webhook-signature")).isNotEqualTo(first.get("webhook-signature"));
  }

  @Test
  void legacyHexSignsTimestampDotBodyWithTheSecretsUtf8Bytes() throws Exception {
    String secret = "my-shared-secret";
    byte[] body = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
    WebhookSigner signer =
        new WebhookSigner(
            SignatureProfile.LEGACY_HEX, "Continuum", List.of(new SigningSecret(secret, null)));
    Map<String, String> headers = signer.sign("dlv_1", "memory.created", body, SPEC_TIME);

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal("1614265330.{\"a\": 1}".getBytes(StandardCharsets.UTF_8)));
    assertThat(headers)
        .containsEntry("X-Continuum-Signature", expected)
        .containsEntry("X-Continuum-Timestamp", "1614265330")
        .containsEntry("X-Continuum-Event", "memory.created")
        .containsEntry("X-Continuum-Delivery", "dlv_1");
  }

  @Test
  void legacyHexListsBothSignaturesCommaSeparatedNewestFirst() {
    WebhookSigner signer =
        new WebhookSigner(
            SignatureProfile.LEGACY_HEX,
            "Hokusai",
            List.of(
                new SigningSecret("new", null),
                new SigningSecret("old", SPEC_TIME.plusSeconds(60))));
    String newOnly =
        new WebhookSigner(
                SignatureProfile.LEGACY_HEX, "Hokusai", List.of(new SigningSecret("new", null)))
            .sign("d", "t", SPEC_BODY, SPEC_TIME)
            .get("X-Hokusai-Signature");
    String both = signer.sign("d", "t", SPEC_BODY, SPEC_TIME).get("X-Hokusai-Signature");
    assertThat(both.split(",")).hasSize(2);
    assertThat(both).startsWith(newOnly + ",");
  }

  @Test
  void legacyHexNeedsAHeaderPrefix() {
    assertThatThrownBy(
            () ->
                new WebhookSigner(
                    SignatureProfile.LEGACY_HEX,
                    "bad prefix",
                    List.of(new SigningSecret("s", null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header prefix");
  }

  @Test
  void standardRefusesASecretWithoutPrefixOrTooShort() {
    assertThatThrownBy(() -> standard("plain-secret")).hasMessageContaining("whsec_");
    assertThatThrownBy(() -> standard("whsec_AAAA")).hasMessageContaining("24 to 64 bytes");
    assertThatThrownBy(() -> standard("whsec_!!!")).hasMessageContaining("Base64");
  }

  @Test
  void generatedSecretsHoldThirtyTwoRandomBytes() {
    String a = WebhookSecrets.generate();
    assertThat(a).startsWith("whsec_");
    assertThat(WebhookSecrets.standardKey(a)).hasSize(32);
    assertThat(WebhookSecrets.generate()).isNotEqualTo(a);
  }

  @Test
  void maskShowsOnlyTheStart() {
    String secret = WebhookSecrets.generate();
    assertThat(WebhookSecrets.mask(secret)).isEqualTo(secret.substring(0, 10) + "****");
  }
}

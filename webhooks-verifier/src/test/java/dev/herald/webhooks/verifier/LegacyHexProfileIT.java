package dev.herald.webhooks.verifier;

import static dev.herald.webhooks.verifier.StandardProfileIT.assertMissing;
import static dev.herald.webhooks.verifier.StandardProfileIT.assertRejected;
import static dev.herald.webhooks.verifier.TestScenario.LEGACY_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.OTHER_LEGACY_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LegacyHexProfileIT {

  @Test
  void verifiesContinuumSignatureAndReturnsDeliveryAndEvent() throws Exception {
    assertThat(TestScenario.validLegacy().verify())
        .isEqualTo(
            new VerifiedWebhook("dlv_42", Instant.ofEpochSecond(SPEC_TIMESTAMP), "memory.created"));
  }

  @Test
  void signatureIsLowercaseHexOfTimestampDotBodyKeyedWithSecretText() throws Exception {
    String expected =
        TestScenario.hex(
            TestScenario.hmac(
                TestScenario.utf8(LEGACY_SECRET),
                TestScenario.utf8(SPEC_TIMESTAMP + "."),
                TestScenario.utf8(TestScenario.LEGACY_BODY)));
    TestScenario scenario = TestScenario.validLegacy().withSignatureHeader(expected);
    assertThat(scenario.computedSignatureHeader()).isEqualTo(expected).matches("[0-9a-f]{64}");
    assertThat(scenario.verify()).isNotNull();
  }

  @Test
  void acceptsAnyValueOfCommaSeparatedRotationList() throws Exception {
    TestScenario scenario =
        TestScenario.validLegacy()
            .signedWith(OTHER_LEGACY_SECRET, LEGACY_SECRET)
            .verifiedWith(LEGACY_SECRET);
    assertThat(scenario.computedSignatureHeader()).contains(",");
    assertThat(scenario.verify()).isNotNull();
    assertThat(
            TestScenario.validLegacy()
                .signedWith(OTHER_LEGACY_SECRET, LEGACY_SECRET)
                .verifiedWith(OTHER_LEGACY_SECRET)
                .verify())
        .isNotNull();
  }

  @Test
  void toleratesSpacesAroundCommas() throws Exception {
    String good = TestScenario.validLegacy().computedSignatureHeader();
    String wrong =
        TestScenario.validLegacy().signedWith(OTHER_LEGACY_SECRET).computedSignatureHeader();
    assertThat(TestScenario.validLegacy().withSignatureHeader(wrong + " ,  " + good + " ").verify())
        .isNotNull();
  }

  @Test
  void acceptsTwoSecretsInVerifier() throws Exception {
    assertThat(
            TestScenario.validLegacy()
                .signedWith(OTHER_LEGACY_SECRET)
                .verifiedWith(LEGACY_SECRET, OTHER_LEGACY_SECRET)
                .verify())
        .isNotNull();
  }

  @Test
  void acceptsUppercaseHex() throws Exception {
    String upper = TestScenario.validLegacy().computedSignatureHeader().toUpperCase(Locale.ROOT);
    assertThat(TestScenario.validLegacy().withSignatureHeader(upper).verify()).isNotNull();
  }

  @Test
  void rejectsTruncatedSignaturePrefix() {
    String good = TestScenario.validLegacy().computedSignatureHeader();
    for (int length = 2; length < good.length(); length += 2) {
      assertRejected(
          TestScenario.validLegacy().withSignatureHeader(good.substring(0, length)),
          Reason.NO_MATCHING_SIGNATURE);
    }
  }

  @Test
  void rejectsMalformedHex() {
    String good = TestScenario.validLegacy().computedSignatureHeader();
    assertRejected(
            TestScenario.validLegacy().withSignatureHeader(good.substring(1)),
            Reason.MALFORMED_HEADER)
        .hasMessage("entry 1 of header X-Continuum-Signature is not hex");
    assertRejected(
        TestScenario.validLegacy().withSignatureHeader("zz" + good.substring(2)),
        Reason.MALFORMED_HEADER);
  }

  @Test
  void rejectsWrongSecret() {
    assertRejected(
            TestScenario.validLegacy().verifiedWith(OTHER_LEGACY_SECRET),
            Reason.NO_MATCHING_SIGNATURE)
        .hasMessageContaining("X-Continuum-Signature");
  }

  @Test
  void rejectsTamperedBody() {
    assertRejected(TestScenario.validLegacy().withTamperedBody(), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsMissingSignatureHeader() {
    assertMissing(TestScenario.validLegacy().withMissingSignature(), "X-Continuum-Signature");
  }

  @Test
  void rejectsMissingTimestampHeader() {
    assertMissing(TestScenario.validLegacy().withMissingTimestamp(), "X-Continuum-Timestamp");
  }

  @Test
  void idIsNullWithoutDeliveryHeader() throws Exception {
    assertThat(TestScenario.validLegacy().withMissingId().verify().id()).isNull();
  }

  @Test
  void rejectsTimestampOlderThanToleranceByOneSecond() {
    assertRejected(TestScenario.validLegacy().sentSecondsAgo(301), Reason.TIMESTAMP_TOO_OLD)
        .hasMessageContaining("X-Continuum-Timestamp");
  }

  @Test
  void rejectsTimestampNewerThanToleranceByOneSecond() {
    assertRejected(TestScenario.validLegacy().sentSecondsAgo(-301), Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void matchesHeaderNamesCaseInsensitivelyWithListValues() throws Exception {
    assertThat(TestScenario.validLegacy().withUpperCaseHeaderNames().withListValues().verify().id())
        .isEqualTo("dlv_42");
  }

  @Test
  void verifiesEmojiBodyAsUtf8Bytes() throws Exception {
    assertThat(TestScenario.validLegacy().withBody("{\"text\": \"café 🚀\"}").verify()).isNotNull();
  }

  @Test
  void usesOnlyTheConfiguredPrefix() {
    TestScenario continuumRequest = TestScenario.validLegacy();
    WebhookVerifier hokusai =
        WebhookVerifier.builder()
            .secret(LEGACY_SECRET)
            .legacyHex("Hokusai")
            .clock(Clock.fixed(Instant.ofEpochSecond(SPEC_TIMESTAMP), ZoneOffset.UTC))
            .build();
    assertThatThrownBy(() -> hokusai.verify(continuumRequest.headers(), continuumRequest.body()))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER);
              assertThat(e.header()).isEqualTo("X-Hokusai-Timestamp");
            });
  }

  @Test
  void keyIsTheSecretTextEvenWhenItLooksLikeWhsec() throws Exception {
    assertThat(
            TestScenario.validLegacy()
                .signedWith(TestScenario.SPEC_SECRET)
                .verifiedWith(TestScenario.SPEC_SECRET)
                .verify())
        .isNotNull();
  }
}

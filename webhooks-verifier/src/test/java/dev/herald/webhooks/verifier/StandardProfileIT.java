package dev.herald.webhooks.verifier;

import static dev.herald.webhooks.verifier.TestScenario.OTHER_STANDARD_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_ID;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_SIGNATURE;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class StandardProfileIT {

  private static final String EMOJI_BODY =
      "{\"content\": \"café 🚀 日本語 \\u00e9\", \"id\": \"evt_ü\"}";

  @Test
  void verifiesSpecTestVector() throws Exception {
    TestScenario scenario = TestScenario.valid();
    assertThat(scenario.computedSignatureHeader()).isEqualTo(SPEC_SIGNATURE);

    VerifiedWebhook webhook =
        scenario
            .withSignatureHeader(SPEC_SIGNATURE)
            .verifier()
            .verify(scenario.headers(), TestScenario.SPEC_BODY);

    assertThat(webhook)
        .isEqualTo(new VerifiedWebhook(SPEC_ID, Instant.ofEpochSecond(SPEC_TIMESTAMP), null));
  }

  @Test
  void oneVerifierSharedByEightThreadsAcceptsGoodAndRejectsTamperedRequests() throws Exception {
    TestScenario scenario = TestScenario.valid().signedWith(SPEC_SECRET, OTHER_STANDARD_SECRET);
    WebhookVerifier verifier =
        TestScenario.valid().verifiedWith(OTHER_STANDARD_SECRET, SPEC_SECRET).verifier();
    Map<String, Object> headers = scenario.headers();
    byte[] body = scenario.body();
    byte[] tampered = Arrays.copyOf(body, body.length);
    tampered[tampered.length - 2] ^= 1;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> tasks = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            () -> {
              int wrong = 0;
              for (int i = 0; i < 2_000; i++) {
                if (!SPEC_ID.equals(verifier.verify(headers, body).id())) {
                  wrong++;
                }
                try {
                  verifier.verify(headers, tampered);
                  wrong++;
                } catch (WebhookVerificationException expected) {
                  // a keyed Mac shared unsafely would sometimes accept or corrupt state
                }
              }
              return wrong;
            });
      }
      for (Future<Integer> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsTruncatedSignaturePrefix() {
    byte[] full = Base64.getDecoder().decode(SPEC_SIGNATURE.substring(3));
    for (int length = 0; length < full.length; length++) {
      String prefix = "v1," + Base64.getEncoder().encodeToString(Arrays.copyOf(full, length));
      assertRejected(
          TestScenario.valid().withSignatureHeader(prefix), Reason.NO_MATCHING_SIGNATURE);
    }
    // Cut in the Base64 text rather than in the bytes.
    assertRejected(
        TestScenario.valid().withSignatureHeader(SPEC_SIGNATURE.substring(0, 3 + 40)),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsSignatureWithExtraTrailingBytes() {
    byte[] full = Base64.getDecoder().decode(SPEC_SIGNATURE.substring(3));
    String longer =
        "v1," + Base64.getEncoder().encodeToString(Arrays.copyOf(full, full.length + 1));
    assertRejected(TestScenario.valid().withSignatureHeader(longer), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void acceptsSecondOfTwoSignatureEntries() throws Exception {
    String wrong = TestScenario.valid().signedWith(OTHER_STANDARD_SECRET).computedSignatureHeader();
    assertThat(TestScenario.valid().withSignatureHeader(wrong + " " + SPEC_SIGNATURE).verify().id())
        .isEqualTo(SPEC_ID);
  }

  @Test
  void acceptsRequestSignedWithEitherRotatedSecret() throws Exception {
    assertThat(
            TestScenario.valid()
                .signedWith(OTHER_STANDARD_SECRET)
                .verifiedWith(SPEC_SECRET, OTHER_STANDARD_SECRET)
                .verify()
                .id())
        .isEqualTo(SPEC_ID);
    assertThat(
            TestScenario.valid()
                .signedWith(SPEC_SECRET)
                .verifiedWith(SPEC_SECRET, OTHER_STANDARD_SECRET)
                .verify()
                .id())
        .isEqualTo(SPEC_ID);
  }

  @Test
  void acceptsRotationHeaderCarryingBothSignatures() throws Exception {
    TestScenario scenario =
        TestScenario.valid()
            .signedWith(OTHER_STANDARD_SECRET, SPEC_SECRET)
            .verifiedWith(SPEC_SECRET);
    assertThat(scenario.computedSignatureHeader()).contains(" ");
    assertThat(scenario.verify().id()).isEqualTo(SPEC_ID);
  }

  @Test
  void toleratesExtraWhitespaceBetweenEntries() throws Exception {
    assertThat(
            TestScenario.valid()
                .withSignatureHeader("  v1,AAAA   " + SPEC_SIGNATURE + "  ")
                .verify())
        .isNotNull();
  }

  @Test
  void ignoresEntriesWithOtherVersionPrefix() throws Exception {
    String otherVersion = "v1a" + SPEC_SIGNATURE.substring(2);
    assertRejected(
            TestScenario.valid().withSignatureHeader(otherVersion), Reason.NO_MATCHING_SIGNATURE)
        .hasMessageContaining("no signature");
    assertThat(
            TestScenario.valid()
                .withSignatureHeader("v2,not+base64!! " + otherVersion + " " + SPEC_SIGNATURE)
                .verify())
        .isNotNull();
  }

  @Test
  void rejectsEntryWithoutVersionPrefix() {
    assertRejected(
            TestScenario.valid().withSignatureHeader(SPEC_SIGNATURE.substring(3)),
            Reason.MALFORMED_HEADER)
        .hasMessageContaining("webhook-signature");
  }

  @Test
  void rejectsTimestampOlderThanToleranceByOneSecond() {
    assertRejected(TestScenario.valid().sentSecondsAgo(301), Reason.TIMESTAMP_TOO_OLD)
        .hasMessageContaining("webhook-timestamp")
        .hasMessageContaining("301 s old");
  }

  @Test
  void rejectsTimestampNewerThanToleranceByOneSecond() {
    assertRejected(TestScenario.valid().sentSecondsAgo(-301), Reason.TIMESTAMP_TOO_NEW)
        .hasMessageContaining("webhook-timestamp")
        .hasMessageContaining("301 s in the future");
  }

  @Test
  void acceptsTimestampExactlyAtToleranceInThePast() throws Exception {
    assertThat(TestScenario.valid().sentSecondsAgo(300).verify()).isNotNull();
  }

  @Test
  void acceptsTimestampExactlyAtToleranceInTheFuture() throws Exception {
    assertThat(TestScenario.valid().sentSecondsAgo(-300).verify()).isNotNull();
  }

  @Test
  void appliesConfiguredTolerance() throws Exception {
    Duration tenSeconds = Duration.ofSeconds(10);
    assertThat(TestScenario.valid().withTolerance(tenSeconds).sentSecondsAgo(10).verify())
        .isNotNull();
    assertRejected(
        TestScenario.valid().withTolerance(tenSeconds).sentSecondsAgo(11),
        Reason.TIMESTAMP_TOO_OLD);
    assertRejected(
        TestScenario.valid().withTolerance(tenSeconds).sentSecondsAgo(-11),
        Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void zeroToleranceAcceptsOnlyTheExactSecond() throws Exception {
    assertThat(TestScenario.valid().withTolerance(Duration.ZERO).verify()).isNotNull();
    assertRejected(
        TestScenario.valid().withTolerance(Duration.ZERO).sentSecondsAgo(1),
        Reason.TIMESTAMP_TOO_OLD);
  }

  @Test
  void rejectsMissingId() {
    assertMissing(TestScenario.valid().withMissingId(), "webhook-id");
  }

  @Test
  void rejectsMissingTimestamp() {
    assertMissing(TestScenario.valid().withMissingTimestamp(), "webhook-timestamp");
  }

  @Test
  void rejectsMissingSignature() {
    assertMissing(TestScenario.valid().withMissingSignature(), "webhook-signature");
  }

  @Test
  void rejectsEmptyHeaderValue() {
    assertRejected(TestScenario.valid().withSignatureHeader("  "), Reason.MISSING_HEADER)
        .hasMessage("header webhook-signature is empty");
  }

  @Test
  void rejectsNonNumericTimestampKeepingCause() {
    assertRejected(TestScenario.valid().withTimestamp("16142653x0"), Reason.MALFORMED_HEADER)
        .hasMessageContaining("webhook-timestamp")
        .hasCauseInstanceOf(NumberFormatException.class);
  }

  @Test
  void rejectsSignedOrFractionalOrNonAsciiTimestamp() {
    for (String bad : List.of("-1614265330", "+1614265330", "1614265330.0", "1e9", "١٦١٤٢٦٥٣٣٠")) {
      assertRejected(TestScenario.valid().withTimestamp(bad), Reason.MALFORMED_HEADER)
          .hasMessageContaining("webhook-timestamp");
    }
  }

  @Test
  void rejectsTimestampBeyondInstantRange() {
    assertRejected(
        TestScenario.valid().withTimestamp(Long.toString(Long.MAX_VALUE)), Reason.MALFORMED_HEADER);
  }

  @Test
  void rejectsMalformedBase64KeepingCause() {
    assertRejected(
            TestScenario.valid().withSignatureHeader("v1,not*base64"), Reason.MALFORMED_HEADER)
        .hasMessage("entry 1 of header webhook-signature is not valid Base64")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongSecret() {
    assertRejected(
            TestScenario.valid().verifiedWith(OTHER_STANDARD_SECRET), Reason.NO_MATCHING_SIGNATURE)
        .hasMessageContaining("webhook-signature");
  }

  @Test
  void rejectsTamperedBody() {
    assertRejected(TestScenario.valid().withTamperedBody(), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void verifiesNonAsciiAndEmojiBodyAsUtf8Bytes() throws Exception {
    TestScenario scenario = TestScenario.valid().withBody(EMOJI_BODY);
    assertThat(scenario.verify()).isNotNull();
    assertThat(scenario.verifier().verify(scenario.headers(), EMOJI_BODY)).isNotNull();
  }

  @Test
  void rejectsEmojiBodyReencodedAsUtf16() {
    TestScenario scenario = TestScenario.valid().withBody(EMOJI_BODY);
    assertThatThrownBy(
            () ->
                scenario
                    .verifier()
                    .verify(scenario.headers(), EMOJI_BODY.getBytes(StandardCharsets.UTF_16)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void matchesHeaderNamesCaseInsensitively() throws Exception {
    TestScenario scenario = TestScenario.valid().withUpperCaseHeaderNames();
    assertThat(scenario.headers()).containsKey("WEBHOOK-SIGNATURE");
    assertThat(scenario.verify().id()).isEqualTo(SPEC_ID);

    Map<String, Object> mixed = new LinkedHashMap<>();
    mixed.put("Webhook-Id", SPEC_ID);
    mixed.put("WeBhOoK-TiMeStAmP", Long.toString(SPEC_TIMESTAMP));
    mixed.put("Webhook-Signature", SPEC_SIGNATURE);
    assertThat(TestScenario.valid().verifier().verify(mixed, TestScenario.SPEC_BODY)).isNotNull();
  }

  @Test
  void acceptsListValuedHeaders() throws Exception {
    TestScenario scenario = TestScenario.valid().withListValues();
    assertThat(scenario.headers().get("webhook-id")).isInstanceOf(List.class);
    assertThat(scenario.verify().id()).isEqualTo(SPEC_ID);
  }

  @Test
  void acceptsStringArrayHeaderValues() throws Exception {
    Map<String, Object> headers = new LinkedHashMap<>(TestScenario.valid().headers());
    headers.put("webhook-signature", new String[] {SPEC_SIGNATURE});
    assertThat(TestScenario.valid().verifier().verify(headers, TestScenario.SPEC_BODY)).isNotNull();
  }

  @Test
  void acceptsSignatureEntriesSpreadOverRepeatedHeaderValues() throws Exception {
    Map<String, Object> headers = new LinkedHashMap<>(TestScenario.valid().headers());
    headers.put("webhook-signature", List.of("v1,AAAA", SPEC_SIGNATURE));
    assertThat(TestScenario.valid().verifier().verify(headers, TestScenario.SPEC_BODY)).isNotNull();
  }

  @Test
  void rejectsRepeatedTimestampWithDifferentValues() {
    Map<String, Object> headers = new LinkedHashMap<>(TestScenario.valid().headers());
    headers.put("webhook-timestamp", List.of(Long.toString(SPEC_TIMESTAMP), "1614265331"));
    assertThatThrownBy(
            () -> TestScenario.valid().verifier().verify(headers, TestScenario.SPEC_BODY))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER))
        .hasMessageContaining("webhook-timestamp");
  }

  @Test
  void rejectsHeaderValueOfUnsupportedType() {
    Map<String, Object> headers = new LinkedHashMap<>(TestScenario.valid().headers());
    headers.put("webhook-timestamp", SPEC_TIMESTAMP);
    assertThatThrownBy(
            () -> TestScenario.valid().verifier().verify(headers, TestScenario.SPEC_BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("webhook-timestamp");
  }

  @Test
  void returnsHeraldEventTypeWhenPresent() throws Exception {
    assertThat(
            TestScenario.valid()
                .withHeader("X-Herald-Event-Type", "memory.created")
                .verify()
                .eventType())
        .isEqualTo("memory.created");
  }

  @Test
  void acceptsSecretWithoutWhsecPrefix() throws Exception {
    assertThat(TestScenario.valid().verifiedWith(SPEC_SECRET.substring(6)).verify()).isNotNull();
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      TestScenario scenario, Reason reason) {
    return assertThatThrownBy(scenario::verify)
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static void assertMissing(TestScenario scenario, String header) {
    assertRejected(scenario, Reason.MISSING_HEADER)
        .hasMessage("header " + header + " is missing")
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.header()).isEqualTo(header));
  }
}

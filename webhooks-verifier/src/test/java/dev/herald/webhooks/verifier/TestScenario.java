package dev.herald.webhooks.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds a signed request and the verifier that checks it, then lets a test break one thing: {@code
 * TestScenario.valid().withMissingId().verify()}. Signing here follows the schemes as Herald
 * implements them, independently of the code under test.
 */
final class TestScenario {

  /** The Standard Webhooks specification's published test vector. */
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long SPEC_TIMESTAMP = 1614265330L;
  static final String SPEC_BODY = "{\"test\": 2432232314}";
  static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final String OTHER_STANDARD_SECRET = "whsec_" + base64("another key of 24 bytes!");
  static final String LEGACY_SECRET = "continuum-webhook-secret";
  static final String OTHER_LEGACY_SECRET = "continuum-rotated-secret";
  static final String LEGACY_BODY =
      "{\"data\": {\"memory_id\": \"m1\"}, \"id\": \"evt_1\", \"type\": \"memory.created\"}";

  private final String legacyPrefix; // null for the standard profile
  private String id;
  private String timestamp;
  private byte[] signedBody;
  private byte[] sentBody;
  private List<String> signingSecrets;
  private String signatureOverride;
  private final Set<String> removed = new LinkedHashSet<>();
  private final Map<String, String> extra = new LinkedHashMap<>();
  private boolean upperCaseNames;
  private boolean listValues;

  private List<String> verifierSecrets;
  private long nowSeconds;
  private Duration tolerance;

  private TestScenario(String legacyPrefix) {
    this.legacyPrefix = legacyPrefix;
  }

  /** The spec's test vector, verified at the instant it was signed. */
  static TestScenario valid() {
    TestScenario s = new TestScenario(null);
    s.id = SPEC_ID;
    s.timestamp = Long.toString(SPEC_TIMESTAMP);
    s.signedBody = utf8(SPEC_BODY);
    s.signingSecrets = List.of(SPEC_SECRET);
    s.verifierSecrets = List.of(SPEC_SECRET);
    s.nowSeconds = SPEC_TIMESTAMP;
    return s;
  }

  /** A CONTINUUM-style {@code legacy-hex} request with delivery id and event type. */
  static TestScenario validLegacy() {
    TestScenario s = new TestScenario("Continuum");
    s.id = "dlv_42";
    s.timestamp = Long.toString(SPEC_TIMESTAMP);
    s.signedBody = utf8(LEGACY_BODY);
    s.signingSecrets = List.of(LEGACY_SECRET);
    s.verifierSecrets = List.of(LEGACY_SECRET);
    s.nowSeconds = SPEC_TIMESTAMP;
    s.extra.put("X-Continuum-Event", "memory.created");
    return s;
  }

  TestScenario withMissingId() {
    removed.add(idHeader());
    return this;
  }

  TestScenario withMissingTimestamp() {
    removed.add(timestampHeader());
    return this;
  }

  TestScenario withMissingSignature() {
    removed.add(signatureHeader());
    return this;
  }

  /** Sends (and signs) this exact timestamp text. */
  TestScenario withTimestamp(String raw) {
    this.timestamp = raw;
    return this;
  }

  /** Signed {@code seconds} before the verifier's clock; negative means in the future. */
  TestScenario sentSecondsAgo(long seconds) {
    this.timestamp = Long.toString(nowSeconds - seconds);
    return this;
  }

  /** Signs and sends this body, as UTF-8. */
  TestScenario withBody(String body) {
    this.signedBody = utf8(body);
    this.sentBody = null;
    return this;
  }

  /** Sends a body that differs by one byte from the signed one. */
  TestScenario withTamperedBody() {
    this.sentBody = Arrays.copyOf(signedBody, signedBody.length);
    sentBody[sentBody.length - 2] ^= 1;
    return this;
  }

  /** Signs with each of these secrets, newest first, as during a rotation. */
  TestScenario signedWith(String... secrets) {
    this.signingSecrets = List.of(secrets);
    return this;
  }

  /** Replaces the computed signature header value. */
  TestScenario withSignatureHeader(String raw) {
    this.signatureOverride = raw;
    return this;
  }

  TestScenario withHeader(String name, String value) {
    extra.put(name, value);
    return this;
  }

  TestScenario withUpperCaseHeaderNames() {
    this.upperCaseNames = true;
    return this;
  }

  /** Puts every header value in a {@code List<String>}, as JAX-RS and servlets do. */
  TestScenario withListValues() {
    this.listValues = true;
    return this;
  }

  TestScenario verifiedWith(String... secrets) {
    this.verifierSecrets = List.of(secrets);
    return this;
  }

  TestScenario withTolerance(Duration tolerance) {
    this.tolerance = tolerance;
    return this;
  }

  String idHeader() {
    return legacyPrefix == null ? "webhook-id" : "X-" + legacyPrefix + "-Delivery";
  }

  String timestampHeader() {
    return legacyPrefix == null ? "webhook-timestamp" : "X-" + legacyPrefix + "-Timestamp";
  }

  String signatureHeader() {
    return legacyPrefix == null ? "webhook-signature" : "X-" + legacyPrefix + "-Signature";
  }

  /** The signature header value this scenario sends, before any override. */
  String computedSignatureHeader() {
    List<String> parts = new ArrayList<>();
    for (String secret : signingSecrets) {
      parts.add(legacyPrefix == null ? standardSignature(secret) : legacySignature(secret));
    }
    return String.join(legacyPrefix == null ? " " : ",", parts);
  }

  Map<String, Object> headers() {
    Map<String, String> plain = new LinkedHashMap<>();
    plain.put(idHeader(), id);
    plain.put(timestampHeader(), timestamp);
    plain.put(
        signatureHeader(),
        signatureOverride != null ? signatureOverride : computedSignatureHeader());
    plain.putAll(extra);
    Map<String, Object> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : plain.entrySet()) {
      if (removed.contains(e.getKey())) {
        continue;
      }
      String name = upperCaseNames ? e.getKey().toUpperCase(Locale.ROOT) : e.getKey();
      headers.put(name, listValues ? List.of(e.getValue()) : e.getValue());
    }
    return headers;
  }

  byte[] body() {
    return sentBody != null ? sentBody : signedBody;
  }

  String timestamp() {
    return timestamp;
  }

  long nowSeconds() {
    return nowSeconds;
  }

  WebhookVerifier verifier() {
    WebhookVerifier.Builder builder =
        WebhookVerifier.builder()
            .secrets(verifierSecrets)
            .clock(Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC));
    if (legacyPrefix != null) {
      builder.legacyHex(legacyPrefix);
    }
    if (tolerance != null) {
      builder.tolerance(tolerance);
    }
    return builder.build();
  }

  VerifiedWebhook verify() throws WebhookVerificationException {
    return verifier().verify(headers(), body());
  }

  private String standardSignature(String secret) {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    return "v1,"
        + Base64.getEncoder()
            .encodeToString(hmac(key, utf8(id + "." + timestamp + "."), signedBody));
  }

  private String legacySignature(String secret) {
    return hex(hmac(utf8(secret), utf8(timestamp + "."), signedBody));
  }

  static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(utf8(s));
  }
}

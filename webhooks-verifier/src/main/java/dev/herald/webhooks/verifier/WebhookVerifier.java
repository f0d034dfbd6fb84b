package dev.herald.webhooks.verifier;

import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies that a webhook request was signed by Herald with one of the configured secrets and that
 * its timestamp is within the tolerance of the current time.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret("whsec_...").build();
 * VerifiedWebhook webhook = verifier.verify(headers, rawBody); // throws if not genuine
 * }</pre>
 *
 * <p>Two profiles: {@code standard} (Standard Webhooks, the default) and {@code legacy-hex} (the
 * seed systems' {@code X-{Prefix}-Signature} headers). Signatures are checked over the raw body
 * bytes exactly as received, never over re-serialized JSON, and compared in constant time on the
 * decoded bytes, so a truncated or over-long signature never matches. The timestamp must lie within
 * the tolerance (default 5 minutes) on either side of the clock.
 *
 * <p>Instances are immutable and thread-safe: build one at start-up and share it.
 */
public final class WebhookVerifier {

  /** The tolerance the Standard Webhooks libraries use. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String HMAC_SHA256 = "HmacSHA256";

  private final Profile profile;
  private final List<KeyedMac> keys;
  private final List<PublicKey> publicKeys;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(Builder builder, List<SecretKeySpec> keys, List<PublicKey> publicKeys) {
    this.profile = builder.profile;
    this.publicKeys = List.copyOf(publicKeys);
    List<KeyedMac> macs = new ArrayList<>();
    for (SecretKeySpec key : keys) {
      macs.add(new KeyedMac(key));
    }
    this.keys = List.copyOf(macs);
    this.tolerance = builder.tolerance;
    this.clock = builder.clock;
  }

  /**
   * Starts a builder for the {@code standard} profile with the default tolerance and the system UTC
   * clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a request.
   *
   * @param headers the request headers; values may be {@code String}, {@code String[]} or a
   *     collection of {@code String} (as in JAX-RS {@code MultivaluedMap} or {@code
   *     java.net.http.HttpHeaders.map()}); names are matched case-insensitively
   * @param rawBody the body bytes exactly as received
   * @return the verified id, timestamp and event type
   * @throws WebhookVerificationException if a header is missing or malformed, the timestamp is
   *     outside the tolerance, or no signature matches
   * @throws IllegalArgumentException if a header value has an unsupported type
   */
  public VerifiedWebhook verify(Map<String, ?> headers, byte[] rawBody)
      throws WebhookVerificationException {
    Objects.requireNonNull(rawBody, "rawBody");
    SignedRequest request = profile.read(Headers.of(headers));
    checkTimestamp(request);
    byte[] prefix = request.signedPrefix.getBytes(StandardCharsets.UTF_8);
    for (KeyedMac key : keys) {
      byte[] expected = key.hmac(prefix, rawBody);
      for (byte[] candidate : request.signatures) {
        // isEqual is constant-time for equal lengths and false for any other length.
        if (MessageDigest.isEqual(expected, candidate)) {
          return new VerifiedWebhook(request.id, request.timestamp, request.eventType);
        }
      }
    }
    for (PublicKey key : publicKeys) {
      for (byte[] candidate : request.asymmetricSignatures) {
        if (Ed25519.verifies(key, prefix, rawBody, candidate)) {
          return new VerifiedWebhook(request.id, request.timestamp, request.eventType);
        }
      }
    }
    if (request.firstMalformedEntry != null) {
      throw request.firstMalformedEntry;
    }
    int checkable =
        (keys.isEmpty() ? 0 : request.signatures.size())
            + (publicKeys.isEmpty() ? 0 : request.asymmetricSignatures.size());
    throw new WebhookVerificationException(
        Reason.NO_MATCHING_SIGNATURE,
        request.signatureHeader,
        checkable == 0
            ? "header " + request.signatureHeader + " holds no signature this verifier can check"
            : "none of the "
                + checkable
                + " signature(s) in header "
                + request.signatureHeader
                + " matches the body under the "
                + (keys.size() + publicKeys.size())
                + " configured secret(s) and public key(s)");
  }

  /**
   * Verifies a request whose body is held as text; the text is encoded as UTF-8, which is what
   * Herald sends. Prefer {@link #verify(Map, byte[])} with the bytes as received when you have
   * them.
   *
   * @param headers the request headers, as for {@link #verify(Map, byte[])}
   * @param body the body text
   * @return the verified id, timestamp and event type
   * @throws WebhookVerificationException as for {@link #verify(Map, byte[])}
   */
  public VerifiedWebhook verify(Map<String, ?> headers, String body)
      throws WebhookVerificationException {
    Objects.requireNonNull(body, "body");
    return verify(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private void checkTimestamp(SignedRequest request) throws WebhookVerificationException {
    Instant now = clock.instant();
    Duration age = Duration.between(request.timestamp, now);
    if (age.compareTo(tolerance) > 0) {
      throw new WebhookVerificationException(
          Reason.TIMESTAMP_TOO_OLD,
          request.timestampHeader,
          "header "
              + request.timestampHeader
              + " is "
              + age.getSeconds()
              + " s old; tolerance is "
              + tolerance.getSeconds()
              + " s");
    }
    if (age.negated().compareTo(tolerance) > 0) {
      throw new WebhookVerificationException(
          Reason.TIMESTAMP_TOO_NEW,
          request.timestampHeader,
          "header "
              + request.timestampHeader
              + " is "
              + age.negated().getSeconds()
              + " s in the future; tolerance is "
              + tolerance.getSeconds()
              + " s");
    }
  }

  /**
   * An HMAC-SHA256 keyed once. {@code Mac} is not thread-safe, and {@code Mac.getInstance} plus
   * {@code init} on every call cost more than the HMAC of a 1 KiB body itself (a provider lookup
   * and the key schedule), so each call works on a clone of a keyed prototype, which is never used
   * directly. A provider whose {@code Mac} cannot be cloned gets a fresh instance per call, as
   * before.
   */
  private static final class KeyedMac {
    private final SecretKeySpec key;
    private final Mac prototype;

    KeyedMac(SecretKeySpec key) {
      this.key = key;
      Mac keyed = newMac(key);
      try {
        keyed.clone();
      } catch (CloneNotSupportedException e) {
        keyed = null;
      }
      this.prototype = keyed;
    }

    byte[] hmac(byte[] prefix, byte[] body) {
      Mac mac;
      if (prototype == null) {
        mac = newMac(key);
      } else {
        try {
          // clone() only reads the prototype's state, so concurrent clones are safe.
          mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
          mac = newMac(key);
        }
      }
      mac.update(prefix);
      return mac.doFinal(body);
    }

    private static Mac newMac(SecretKeySpec key) {
      try {
        Mac mac = Mac.getInstance(HMAC_SHA256);
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required on every Java platform", e);
      }
    }
  }

  /** Describes the configuration without revealing secrets. */
  @Override
  public String toString() {
    return "WebhookVerifier[profile="
        + profile.name()
        + ", secrets="
        + keys.size()
        + ", public keys="
        + publicKeys.size()
        + ", tolerance="
        + tolerance
        + "]";
  }

  /** Builds a {@link WebhookVerifier}. Not thread-safe; the verifiers it builds are. */
  public static final class Builder {

    private final List<String> secrets = new ArrayList<>();
    private final List<String> publicKeys = new ArrayList<>();
    private Profile profile = new StandardProfile();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a secret. Add several during a rotation; a request signed with any of them verifies. For
     * {@code standard}: {@code whsec_} followed by Base64 of the key (bare Base64 is accepted too).
     * For {@code legacy-hex}: the secret text, whose UTF-8 bytes are the key.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder secret(String secret) {
      secrets.add(Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /**
     * Adds several secrets, as {@link #secret(String)} does.
     *
     * @param secrets the secrets
     * @return this builder
     */
    public Builder secrets(Collection<String> secrets) {
      for (String secret : Objects.requireNonNull(secrets, "secrets")) {
        secret(secret);
      }
      return this;
    }

    /**
     * Adds an Ed25519 public key ({@code whpk_} followed by Base64 of the 32-byte key), for
     * endpoints that sign with {@code ed25519} ({@code v1a} signatures of the {@code standard}
     * profile). Add several during a rotation. Ed25519 needs Java 15 or later at run time.
     *
     * @param publicKey the public key
     * @return this builder
     */
    public Builder publicKey(String publicKey) {
      publicKeys.add(Objects.requireNonNull(publicKey, "publicKey"));
      return this;
    }

    /**
     * Selects the {@code standard} (Standard Webhooks) profile; the default.
     *
     * @return this builder
     */
    public Builder standard() {
      this.profile = new StandardProfile();
      return this;
    }

    /**
     * Selects the {@code legacy-hex} profile with headers {@code X-{prefix}-Signature}, {@code
     * X-{prefix}-Timestamp}, {@code X-{prefix}-Event} and {@code X-{prefix}-Delivery}.
     *
     * @param prefix the header prefix, e.g. {@code "Continuum"}
     * @return this builder
     * @throws IllegalArgumentException if the prefix is not letters, digits and inner hyphens
     */
    public Builder legacyHex(String prefix) {
      this.profile = new LegacyHexProfile(prefix);
      return this;
    }

    /**
     * Sets how far the timestamp may be from the clock, in either direction; default 5 minutes.
     *
     * @param tolerance zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance must be zero or more; got " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Sets the clock the timestamp is checked against; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the verifier, decoding every secret now so that a bad one fails at start-up.
     *
     * @return the verifier
     * @throws IllegalStateException if no secret or public key was added, or a public key was added
     *     on a Java without Ed25519 (before 15)
     * @throws IllegalArgumentException if a secret or public key is unusable; the message gives its
     *     position, never its value
     */
    public WebhookVerifier build() {
      if (secrets.isEmpty() && publicKeys.isEmpty()) {
        throw new IllegalStateException(
            "add at least one secret with secret(...) or public key with publicKey(...)");
      }
      if (!publicKeys.isEmpty() && !(profile instanceof StandardProfile)) {
        throw new IllegalStateException("Ed25519 public keys belong to the standard profile");
      }
      List<PublicKey> decoded = new ArrayList<>();
      for (int i = 0; i < publicKeys.size(); i++) {
        try {
          decoded.add(Ed25519.publicKey(publicKeys.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("public key #" + (i + 1) + " " + e.getMessage(), e);
        }
      }
      List<SecretKeySpec> keys = new ArrayList<>();
      for (int i = 0; i < secrets.size(); i++) {
        try {
          keys.add(new SecretKeySpec(profile.key(secrets.get(i)), HMAC_SHA256));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "secret #" + (i + 1) + " for profile " + profile.name() + " " + e.getMessage(), e);
        }
      }
      return new WebhookVerifier(this, keys, decoded);
    }
  }
}

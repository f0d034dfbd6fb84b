package dev.herald.webhooks.core.signing;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.spi.SigningSecret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs one request of one endpoint: the profile's signature headers for the exact body bytes, at a
 * given attempt time, with every secret still active (several signatures during rotation, newest
 * first). Immutable and thread-safe.
 */
public final class WebhookSigner {
  private static final String HMAC = "HmacSHA256";

  private final SignatureProfile profile;
  private final String headerPrefix;
  private final List<SigningSecret> secrets;

  /** Per secret: a keyed HMAC prototype ({@code v1}), or an Ed25519 private key ({@code v1a}). */
  private final List<Object> keys;

  /**
   * @param profile the endpoint's profile
   * @param headerPrefix the {@code {Prefix}} of {@code X-{Prefix}-*} headers; required for
   *     legacy-hex
   * @param secrets current secret first, then rotated-out ones
   * @throws IllegalArgumentException when a secret does not fit the profile
   */
  public WebhookSigner(SignatureProfile profile, String headerPrefix, List<SigningSecret> secrets) {
    this.profile = Objects.requireNonNull(profile, "profile");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("an endpoint needs at least one secret");
    }
    if (profile == SignatureProfile.LEGACY_HEX) {
      if (!isValidHeaderPrefix(headerPrefix)) {
        throw new IllegalArgumentException(
            "legacy-hex needs a header prefix of letters, digits and single hyphens, such as"
                + " Continuum; was "
                + headerPrefix);
      }
    }
    this.headerPrefix = headerPrefix;
    this.secrets = List.copyOf(secrets);
    List<Object> keyed = new ArrayList<>(secrets.size());
    for (SigningSecret secret : secrets) {
      if (Ed25519Keys.isPrivateKey(secret.value())) {
        if (profile != SignatureProfile.STANDARD) {
          throw new IllegalArgumentException("Ed25519 (v1a) signs with the standard profile only");
        }
        keyed.add(Ed25519Keys.privateKey(secret.value()));
        continue;
      }
      keyed.add(
          initializedMac(
              profile == SignatureProfile.STANDARD
                  ? WebhookSecrets.standardKey(secret.value())
                  : secret.value().getBytes(StandardCharsets.UTF_8)));
    }
    this.keys = List.copyOf(keyed);
  }

  public SignatureProfile profile() {
    return profile;
  }

  /** Whether {@code prefix} can be the {@code {Prefix}} of legacy-hex headers. */
  public static boolean isValidHeaderPrefix(String prefix) {
    return prefix != null && prefix.matches("[A-Za-z0-9]+(-[A-Za-z0-9]+)*");
  }

  /** The names of the headers {@link #sign} sets for this profile and prefix. */
  public static Set<String> headerNames(SignatureProfile profile, String headerPrefix) {
    if (profile == SignatureProfile.STANDARD) {
      return Set.of("webhook-id", "webhook-timestamp", "webhook-signature");
    }
    String p = "X-" + headerPrefix + "-";
    return Set.of(p + "Signature", p + "Timestamp", p + "Event", p + "Delivery");
  }

  /**
   * The signature headers for one attempt.
   *
   * @param messageId the event id ({@code webhook-id}) for standard; for legacy-hex, the value of
   *     {@code X-{Prefix}-Delivery}
   * @param eventType sent as {@code X-{Prefix}-Event} by legacy-hex
   * @param body the exact bytes that will be sent
   * @param now the attempt time; its Unix seconds are signed
   */
  public Map<String, String> sign(String messageId, String eventType, byte[] body, Instant now) {
    long timestamp = now.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> signatures = new ArrayList<>(keys.size());
    if (profile == SignatureProfile.STANDARD) {
      byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < keys.size(); i++) {
        if (secrets.get(i).activeAt(now)) {
          signatures.add(
              keys.get(i) instanceof PrivateKey ed25519
                  ? "v1a,"
                      + Base64.getEncoder().encodeToString(Ed25519Keys.sign(ed25519, prefix, body))
                  : "v1,"
                      + Base64.getEncoder().encodeToString(hmac((Mac) keys.get(i), prefix, body)));
        }
      }
      headers.put("webhook-id", messageId);
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", String.join(" ", signatures));
    } else {
      byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < keys.size(); i++) {
        if (secrets.get(i).activeAt(now)) {
          signatures.add(HexFormat.of().formatHex(hmac((Mac) keys.get(i), prefix, body)));
        }
      }
      String p = "X-" + headerPrefix + "-";
      headers.put(p + "Signature", String.join(",", signatures));
      headers.put(p + "Timestamp", Long.toString(timestamp));
      headers.put(p + "Event", eventType);
      headers.put(p + "Delivery", messageId);
    }
    if (signatures.isEmpty()) {
      throw new IllegalStateException("every secret of this endpoint has expired");
    }
    return headers;
  }

  private static Mac initializedMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Clones the keyed prototype: cheaper than a provider look-up and key setup per request. */
  private static byte[] hmac(Mac prototype, byte[] prefix, byte[] body) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the HMAC provider cannot clone a keyed Mac", e);
    }
    mac.update(prefix);
    return mac.doFinal(body);
  }
}

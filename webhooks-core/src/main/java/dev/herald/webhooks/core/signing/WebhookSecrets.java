package dev.herald.webhooks.core.signing;

import java.security.SecureRandom;
import java.util.Base64;

/** Creates and decodes endpoint secrets of the form {@code whsec_} + Base64 of random bytes. */
public final class WebhookSecrets {
  public static final String PREFIX = "whsec_";
  private static final int GENERATED_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSecrets() {}

  /** A new secret with 32 random bytes. */
  public static String generate() {
    byte[] key = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * The HMAC key of a Standard Webhooks secret: the decoded bytes after {@code whsec_}.
   *
   * @throws IllegalArgumentException when the secret is not {@code whsec_} + Base64 of 24 to 64
   *     bytes
   */
  public static byte[] standardKey(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a standard-profile secret must start with " + PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secret after " + PREFIX + " is not Base64", e);
    }
    if (key.length < 24 || key.length > 64) {
      throw new IllegalArgumentException(
          "a standard-profile secret must hold 24 to 64 bytes, this one holds " + key.length);
    }
    return key;
  }

  /** Shows the first characters of a secret only, for display after creation. */
  public static String mask(String secret) {
    if (secret == null || secret.length() <= PREFIX.length() + 4) {
      return PREFIX + "****";
    }
    int visible = secret.startsWith(PREFIX) ? PREFIX.length() + 4 : 4;
    return secret.substring(0, visible) + "****";
  }
}

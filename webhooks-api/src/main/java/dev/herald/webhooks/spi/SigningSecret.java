package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One secret of an endpoint, in clear text (decrypted by the store). Never log it.
 *
 * @param value the secret, {@code whsec_...}
 * @param expiresAt when a rotated-out secret stops being used; null for the current secret
 */
public record SigningSecret(String value, Instant expiresAt) {
  public SigningSecret {
    Objects.requireNonNull(value, "value");
  }

  /** Whether this secret still signs at {@code now}. */
  public boolean activeAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "SigningSecret[value=***, expiresAt=" + expiresAt + "]";
  }
}

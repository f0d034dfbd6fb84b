package dev.herald.webhooks.api;

import java.util.Locale;

/** How an endpoint's requests are signed (DESIGN section 5). */
public enum SignatureProfile {
  /**
   * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}.
   */
  STANDARD("standard"),
  /**
   * {@code X-{Prefix}-Signature} = hex HMAC-SHA256 of {@code "{timestamp}.{body}"}, with the body
   * as Python's {@code json.dumps(payload, sort_keys=True)} prints it.
   */
  LEGACY_HEX("legacy-hex");

  private final String wireName;

  SignatureProfile(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * @throws IllegalArgumentException naming the allowed values
   */
  public static SignatureProfile fromWireName(String name) {
    if (name != null) {
      String normalized = name.trim().toLowerCase(Locale.ROOT);
      for (SignatureProfile profile : values()) {
        if (profile.wireName.equals(normalized)) {
          return profile;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown signature profile '" + name + "'; allowed: standard, legacy-hex");
  }
}

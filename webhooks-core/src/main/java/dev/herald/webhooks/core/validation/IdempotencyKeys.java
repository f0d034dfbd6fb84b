package dev.herald.webhooks.core.validation;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives an idempotency key when the producer gives none: {@code sha256:} and the hex SHA-256 of
 * tenant, type, subject and the data in canonical form (keys sorted), so that publishing the same
 * content twice within the window is delivered once.
 */
public final class IdempotencyKeys {
  private IdempotencyKeys() {}

  /** The producer's key, or one derived from the content. */
  public static String keyOf(NewEvent event) {
    if (event.idempotencyKey() != null) {
      return event.idempotencyKey();
    }
    String canonical =
        event.tenantId()
            + '\u0000'
            + event.type()
            + '\u0000'
            + (event.subject() == null ? "" : event.subject())
            + '\u0000'
            + JsonWriter.write(event.data(), JsonWriter.Style.PYTHON_SORTED);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}

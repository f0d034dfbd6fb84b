package dev.herald.webhooks.core.json;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.SignatureProfile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event envelope of DESIGN section 4 as body bytes: compact JSON for the {@code standard}
 * profile, Python's {@code json.dumps(sort_keys=True)} form for {@code legacy-hex}. Thread-safe.
 */
public final class EnvelopeJson {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EnvelopeJson() {}

  /** The body bytes an endpoint with {@code profile} receives. */
  public static byte[] encode(Event event, SignatureProfile profile) {
    JsonWriter.Style style =
        profile == SignatureProfile.LEGACY_HEX
            ? JsonWriter.Style.PYTHON_SORTED
            : JsonWriter.Style.COMPACT;
    return JsonWriter.writeUtf8(toMap(event), style);
  }

  /**
   * The body for {@code profile} from the stored standard body. Deterministic, so every attempt
   * sends the same bytes; equal to {@link #encode} of the same event with that profile.
   */
  public static byte[] forProfile(byte[] standardBody, SignatureProfile profile) {
    if (profile != SignatureProfile.LEGACY_HEX) {
      return standardBody;
    }
    return JsonWriter.writeUtf8(
        JsonReader.readObject(new String(standardBody, StandardCharsets.UTF_8)),
        JsonWriter.Style.PYTHON_SORTED);
  }

  /** The envelope as an ordered map, with the snake_case names of the wire format. */
  public static Map<String, Object> toMap(Event event) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", event.id());
    map.put("type", event.type());
    map.put("timestamp", formatTimestamp(event.timestamp()));
    map.put("tenant_id", event.tenantId());
    map.put("idempotency_key", event.idempotencyKey());
    map.put("schema_version", event.schemaVersion());
    map.put("subject", event.subject());
    map.put("sequence", event.sequence());
    map.put("data", event.data());
    map.put("metadata", event.metadata());
    return map;
  }

  /** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-23T21:15:03.123Z}. */
  public static String formatTimestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }
}

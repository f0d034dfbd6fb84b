package dev.herald.webhooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.SignatureProfile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeJsonTest {

  static Event sample() {
    return new Event(
        "evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S",
        "memory.created",
        Instant.parse("2026-11-23T21:15:03.123456Z"),
        "acme",
        "key-1",
        1,
        "memory/123",
        42,
        Map.of("memory_id", "123"),
        Map.of());
  }

  @Test
  void standardBodyHasTheDesignFieldsInOrder() {
    String body =
        new String(
            EnvelopeJson.encode(sample(), SignatureProfile.STANDARD), StandardCharsets.UTF_8);
    assertThat(body)
        .isEqualTo(
            "{\"id\":\"evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S\",\"type\":\"memory.created\","
                + "\"timestamp\":\"2026-11-23T21:15:03.123Z\",\"tenant_id\":\"acme\","
                + "\"idempotency_key\":\"key-1\",\"schema_version\":1,\"subject\":\"memory/123\","
                + "\"sequence\":42,\"data\":{\"memory_id\":\"123\"},\"metadata\":{}}");
  }

  @Test
  void legacyBodyIsPythonSortKeysForm() {
    String body =
        new String(
            EnvelopeJson.encode(sample(), SignatureProfile.LEGACY_HEX), StandardCharsets.UTF_8);
    assertThat(body)
        .isEqualTo(
            "{\"data\": {\"memory_id\": \"123\"}, \"id\": \"evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S\", "
                + "\"idempotency_key\": \"key-1\", \"metadata\": {}, \"schema_version\": 1, "
                + "\"sequence\": 42, \"subject\": \"memory/123\", \"tenant_id\": \"acme\", "
                + "\"timestamp\": \"2026-11-23T21:15:03.123Z\", \"type\": \"memory.created\"}");
  }

  @Test
  void legacyBodyDerivedFromStoredStandardBodyEqualsDirectEncoding() {
    Event event =
        new Event(
            "evt_1",
            "memory.created",
            Instant.parse("2026-11-23T21:15:03.123Z"),
            "acme",
            "k",
            1,
            null,
            7,
            Map.of(
                "text",
                "café 🚀 \"q\"",
                "floats",
                java.util.List.of(0.1, 1e16, 1e-5, 100.0),
                "big",
                new java.math.BigDecimal("1.50"),
                "n",
                Long.MAX_VALUE),
            Map.of("source", "ünïcode"));
    byte[] stored = EnvelopeJson.encode(event, SignatureProfile.STANDARD);
    assertThat(EnvelopeJson.forProfile(stored, SignatureProfile.LEGACY_HEX))
        .isEqualTo(EnvelopeJson.encode(event, SignatureProfile.LEGACY_HEX));
    assertThat(EnvelopeJson.forProfile(stored, SignatureProfile.STANDARD)).isSameAs(stored);
  }

  @Test
  void timestampAlwaysHasMilliseconds() {
    assertThat(EnvelopeJson.formatTimestamp(Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo("2026-01-02T03:04:05.000Z");
  }
}

package dev.herald.webhooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.SignatureProfile;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What Herald sends in CloudEvents formats, read back by the CloudEvents Java SDK: every attribute
 * as DESIGN 16 maps it, in structured, binary and batch form.
 */
class CloudEventsJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Event event(String subject) {
    return new Event(
        "evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S",
        "memory.created",
        Instant.parse("2026-11-23T21:15:03.123Z"),
        "acme",
        "key-1",
        1,
        subject,
        42,
        Map.of("memory_id", "123", "user_id", "u-9", "note", "café \"quoted\""),
        Map.of());
  }

  private static byte[] envelope(Event event) {
    return EnvelopeJson.encode(event, SignatureProfile.STANDARD);
  }

  private static void assertAttributes(CloudEvent ce, String subject) throws Exception {
    assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(ce.getId()).isEqualTo("evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S");
    assertThat(ce.getSource()).isEqualTo(URI.create("/herald/acme"));
    assertThat(ce.getType()).isEqualTo("memory.created");
    assertThat(ce.getSubject()).isEqualTo(subject);
    assertThat(ce.getTime())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 21, 15, 3, 123_000_000, ZoneOffset.UTC));
    assertThat(ce.getDataContentType()).isEqualTo("application/json");
    assertThat(String.valueOf(ce.getExtension("sequence"))).isEqualTo("42");
    JsonNode data = JSON.readTree(ce.getData().toBytes());
    assertThat(data.get("memory_id").asText()).isEqualTo("123");
    assertThat(data.get("note").asText()).isEqualTo("café \"quoted\"");
  }

  @Test
  void structuredIsReadByTheSdkWithEveryAttribute() throws Exception {
    byte[] body = CloudEventsJson.structured(envelope(event("memory/123")));
    CloudEvent ce =
        HttpMessageFactory.createReader(
                Map.of("Content-Type", CloudEventsJson.STRUCTURED_CONTENT_TYPE), body)
            .toEvent();
    assertAttributes(ce, "memory/123");
  }

  @Test
  void binaryPutsAttributesInPercentEncodedHeadersAndTheDataInTheBody() throws Exception {
    String subject = "memory 1/é \"x\" 100%";
    CloudEventsJson.Binary binary = CloudEventsJson.binary(envelope(event(subject)));
    assertThat(binary.headers())
        .containsEntry("Content-Type", "application/json")
        .containsEntry("ce-specversion", "1.0")
        .containsEntry("ce-subject", "memory%201/%C3%A9%20%22x%22%20100%25")
        .containsEntry("ce-sequence", "42");
    binary.headers().values().forEach(v -> assertThat(v).matches("[\\x21-\\x7e]+"));
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(binary.headers());
    CloudEvent ce = HttpMessageFactory.createReader(headers, binary.body()).toEvent();
    // The binding has senders percent-encode header values; the Java SDK (4.0.1) hands them over
    // as they came, so a receiver decodes them.
    assertAttributes(ce, "memory%201/%C3%A9%20%22x%22%20100%25");
    assertThat(URLDecoder.decode(ce.getSubject(), StandardCharsets.UTF_8)).isEqualTo(subject);
  }

  @Test
  void anEventWithoutASubjectHasNoSubjectAttribute() throws Exception {
    byte[] body = CloudEventsJson.structured(envelope(event(null)));
    assertThat(JSON.readTree(body).has("subject")).isFalse();
    assertThat(CloudEventsJson.binary(envelope(event(null))).headers())
        .doesNotContainKey("ce-subject");
  }

  @Test
  void aBatchIsAJsonArrayOfStructuredEventsTheSdkReadsOneByOne() throws Exception {
    byte[] body =
        CloudEventsJson.batch(List.of(envelope(event("memory/1")), envelope(event("memory/2"))));
    JsonNode array = JSON.readTree(body);
    assertThat(array.isArray()).isTrue();
    EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    List<String> subjects = new ArrayList<>();
    for (JsonNode element : array) {
      CloudEvent ce = format.deserialize(JSON.writeValueAsBytes(element));
      assertAttributes(ce, ce.getSubject());
      subjects.add(ce.getSubject());
    }
    assertThat(subjects).containsExactly("memory/1", "memory/2");
    assertThat(new String(body, StandardCharsets.UTF_8)).startsWith("[{\"specversion\":\"1.0\"");
  }
}

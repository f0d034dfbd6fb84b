package dev.herald.webhooks.core.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Herald's envelope as a CloudEvents 1.0 event over HTTP (DESIGN 16, {@code format}): {@code id} is
 * the event id, {@code source} {@code /herald/{tenant}}, {@code type}, {@code subject} (when the
 * event has one), {@code time} the accepted time, {@code datacontenttype} {@code application/json},
 * {@code data} the event's data, and the {@code sequence} extension (the CloudEvents sequence
 * extension: the number as a string). Made from the stored envelope bytes, so every attempt sends
 * the same bytes. Thread-safe.
 */
public final class CloudEventsJson {
  public static final String STRUCTURED_CONTENT_TYPE =
      "application/cloudevents+json; charset=UTF-8";
  public static final String BATCH_CONTENT_TYPE =
      "application/cloudevents-batch+json; charset=UTF-8";
  public static final String DATA_CONTENT_TYPE = "application/json";

  /** A binary-mode message: the {@code ce-*} and {@code Content-Type} headers, and the data. */
  public record Binary(Map<String, String> headers, byte[] body) {}

  private CloudEventsJson() {}

  /** The structured-mode body of one event. */
  public static byte[] structured(byte[] envelope) {
    return JsonWriter.writeUtf8(toCloudEvent(read(envelope)), JsonWriter.Style.COMPACT);
  }

  /** The batch-mode body: a JSON array of structured events. */
  public static byte[] batch(List<byte[]> envelopes) {
    List<Object> events = new ArrayList<>(envelopes.size());
    for (byte[] envelope : envelopes) {
      events.add(toCloudEvent(read(envelope)));
    }
    return JsonWriter.writeUtf8(events, JsonWriter.Style.COMPACT);
  }

  /** The binary-mode headers and body of one event. */
  public static Binary binary(byte[] envelope) {
    Map<String, Object> event = toCloudEvent(read(envelope));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", DATA_CONTENT_TYPE);
    event.forEach(
        (name, value) -> {
          if (!name.equals("data") && !name.equals("datacontenttype")) {
            headers.put("ce-" + name, percentEncode(String.valueOf(value)));
          }
        });
    return new Binary(headers, JsonWriter.writeUtf8(event.get("data"), JsonWriter.Style.COMPACT));
  }

  /** The CloudEvent's attributes and data, in the order they are written. */
  static Map<String, Object> toCloudEvent(Map<String, Object> envelope) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", envelope.get("id"));
    event.put("source", "/herald/" + envelope.get("tenant_id"));
    event.put("type", envelope.get("type"));
    if (envelope.get("subject") != null) {
      event.put("subject", envelope.get("subject"));
    }
    event.put("time", envelope.get("timestamp"));
    event.put("sequence", String.valueOf(envelope.get("sequence")));
    event.put("datacontenttype", DATA_CONTENT_TYPE);
    event.put("data", envelope.get("data"));
    return event;
  }

  private static Map<String, Object> read(byte[] envelope) {
    return JsonReader.readObject(new String(envelope, StandardCharsets.UTF_8));
  }

  /**
   * A header value as the CloudEvents HTTP binding wants it: space, {@code "}, {@code %} and
   * everything outside printable ASCII percent-encoded as UTF-8.
   */
  static String percentEncode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '"' && c != '%') {
        out.write(c);
      } else {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}

package dev.herald.webhooks.transport.redis.internal;

import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Turns the stored event envelope into the bytes published to Redis. Stateless and thread-safe. */
public final class PayloadEncoder {

  private PayloadEncoder() {}

  /** The envelope exactly as stored. */
  public static byte[] envelope(byte[] body) {
    return body;
  }

  /**
   * The envelope's {@code data} as Python's {@code json.dumps(data)} prints it, which is what the
   * seed systems' publishers sent, so a legacy subscriber receives the bytes it always received.
   *
   * @throws IllegalArgumentException when the body is not a JSON object with a {@code data} member
   */
  public static byte[] dataPython(byte[] body) {
    Map<String, Object> envelope = JsonReader.readObject(new String(body, StandardCharsets.UTF_8));
    if (!envelope.containsKey("data")) {
      throw new IllegalArgumentException("the event envelope has no data member");
    }
    return JsonWriter.writeUtf8(envelope.get("data"), JsonWriter.Style.PYTHON);
  }
}

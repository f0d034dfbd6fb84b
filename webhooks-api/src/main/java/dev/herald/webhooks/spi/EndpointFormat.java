package dev.herald.webhooks.spi;

import java.util.Locale;

/** How an endpoint's requests carry events (DESIGN 16, {@code format}). */
public enum EndpointFormat {
  /** Herald's envelope (DESIGN 4); a batch is {@code {"events": [envelope, ...]}}. */
  HERALD,
  /**
   * CloudEvents 1.0 HTTP binding, structured mode: {@code application/cloudevents+json}; a batch is
   * {@code application/cloudevents-batch+json}.
   */
  CLOUDEVENTS_STRUCTURED,
  /** CloudEvents 1.0 HTTP binding, binary mode: {@code ce-*} headers, the data as the body. */
  CLOUDEVENTS_BINARY;

  /** {@code herald}, {@code cloudevents-structured} or {@code cloudevents-binary}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @throws IllegalArgumentException for any other name
   */
  public static EndpointFormat fromWireName(String name) {
    for (EndpointFormat f : values()) {
      if (f.wireName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "format must be \"herald\", \"cloudevents-structured\" or \"cloudevents-binary\", was "
            + name);
  }
}

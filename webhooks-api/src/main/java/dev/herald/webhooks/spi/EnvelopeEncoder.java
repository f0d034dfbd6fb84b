package dev.herald.webhooks.spi;

import dev.herald.webhooks.api.Event;

/**
 * Serializes an event into the exact body bytes that will be stored and sent. The store calls it
 * inside the publish transaction, once the sequence is assigned. Thread-safe.
 */
@FunctionalInterface
public interface EnvelopeEncoder {
  byte[] encode(Event event);
}

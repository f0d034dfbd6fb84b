/**
 * The {@code redis} transport: publishes events to Redis pub/sub channels and/or Streams for the
 * legacy consumers of the migration, with a bounded Jedis pool, timeouts, a bulkhead and a circuit
 * breaker. Configuration keys are in {@link
 * dev.herald.webhooks.transport.redis.RedisTransportSettings}.
 */
package dev.herald.webhooks.transport.redis;

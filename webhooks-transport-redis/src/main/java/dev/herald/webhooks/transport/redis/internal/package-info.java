/**
 * The parts of the Redis transport behind its facade: channel and stream name templates, payload
 * encoding, the Jedis client factory, failure classification, and the in-process bulkhead and
 * circuit breaker.
 */
package dev.herald.webhooks.transport.redis.internal;

package dev.herald.webhooks.transport.redis;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.transport.redis.internal.Bulkhead;
import dev.herald.webhooks.transport.redis.internal.InMemoryCircuit;
import dev.herald.webhooks.transport.redis.internal.NameTemplate;
import dev.herald.webhooks.transport.redis.internal.PayloadEncoder;
import dev.herald.webhooks.transport.redis.internal.RedisClients;
import dev.herald.webhooks.transport.redis.internal.RedisFailures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Publishes each event to Redis as configured: {@code PUBLISH} on a channel, {@code XADD} to a
 * stream ({@code MAXLEN ~}, fields {@code id}, {@code type}, {@code payload}), or both. Redis
 * failures come back as {@link SendOutcome.Retry} (the outbox tries again later), a {@code
 * WRONGTYPE} stream key or an unreadable envelope as {@link SendOutcome.Failed}; {@link #send}
 * never throws for them.
 *
 * <p>This is Herald's one guard around Redis, the same in the server and the standalone worker: the
 * settings' timeouts, a bulkhead, and a circuit breaker that opens after consecutive failures and
 * lets one probe through per open period. What the guard refuses comes back as {@link
 * SendOutcome.Refused}, which spends no attempt, and {@link #pausedFor()} tells the worker to claim
 * no Redis delivery while the circuit is open. Thread-safe.
 */
public final class RedisTransport implements Transport {

  private static final byte[] ID = bytes("id");
  private static final byte[] TYPE = bytes("type");
  private static final byte[] PAYLOAD = bytes("payload");

  /** How long a refused delivery waits when the refusal says nothing about when to come back. */
  private static final Duration BUSY_WAIT = Duration.ofSeconds(1);

  private final RedisTransportSettings settings;
  private final Function<RedisTransportSettings, UnifiedJedis> clientFactory;
  private final NameTemplate channel;
  private final NameTemplate stream;
  private final Bulkhead bulkhead;
  private final InMemoryCircuit circuit;
  private final Object lock = new Object();
  private volatile UnifiedJedis client;
  private volatile boolean closed;

  public RedisTransport(RedisTransportSettings settings) {
    this(settings, RedisClients::create, Clock.systemUTC());
  }

  RedisTransport(
      RedisTransportSettings settings,
      Function<RedisTransportSettings, UnifiedJedis> clientFactory,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
    this.channel =
        NameTemplate.parse(RedisTransportSettings.CHANNEL_TEMPLATE, settings.channelTemplate());
    this.stream =
        NameTemplate.parse(RedisTransportSettings.STREAM_TEMPLATE, settings.streamTemplate());
    this.bulkhead = new Bulkhead(settings.bulkhead(), settings.bulkheadMaxWait());
    this.circuit =
        new InMemoryCircuit(
            new CircuitBreakerPolicy(
                settings.circuitFailureThreshold(), settings.circuitOpenDuration()),
            clock);
  }

  public RedisTransportSettings settings() {
    return settings;
  }

  @Override
  public SendOutcome send(OutboundMessage message) {
    Objects.requireNonNull(message, "message");
    if (closed) {
      throw new IllegalStateException("The Redis transport is closed");
    }
    long start = System.nanoTime();
    byte[] payload;
    try {
      payload =
          switch (settings.payload()) {
            case ENVELOPE -> PayloadEncoder.envelope(message.body());
            case DATA_PYTHON -> PayloadEncoder.dataPython(message.body());
          };
    } catch (IllegalArgumentException e) {
      return new SendOutcome.Failed(
          null,
          since(start),
          new SendOutcome.Error("payload_invalid", "cannot build the payload: " + e.getMessage()),
          false);
    }
    if (circuit.isOpen()) {
      return circuitOpen(start);
    }
    if (!bulkhead.tryEnter()) {
      return new SendOutcome.Refused(
          since(start),
          new SendOutcome.Error(
              "redis_bulkhead_full",
              "all " + bulkhead.capacity() + " Redis publish slots stayed busy"),
          BUSY_WAIT);
    }
    try {
      if (!circuit.tryAcquire()) {
        return circuitOpen(start);
      }
      return publish(message, payload, start);
    } finally {
      bulkhead.exit();
    }
  }

  private SendOutcome publish(OutboundMessage message, byte[] payload, long start) {
    try {
      UnifiedJedis jedis = client();
      StringBuilder excerpt = new StringBuilder();
      if (settings.mode().appends()) {
        String key = stream.render(message.tenantId(), message.eventType());
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put(ID, bytes(message.eventId()));
        fields.put(TYPE, bytes(message.eventType()));
        fields.put(PAYLOAD, payload);
        byte[] entryId =
            jedis.xadd(
                bytes(key),
                XAddParams.xAddParams().maxLen(settings.streamMaxLen()).approximateTrimming(),
                fields);
        excerpt
            .append("XADD ")
            .append(key)
            .append(' ')
            .append(new String(entryId, StandardCharsets.UTF_8));
      }
      if (settings.mode().publishes()) {
        String name = channel.render(message.tenantId(), message.eventType());
        long receivers = jedis.publish(bytes(name), payload);
        excerpt.append(excerpt.length() == 0 ? "" : "; ");
        excerpt.append("PUBLISH ").append(name).append(" reached ").append(receivers);
        excerpt.append(receivers == 1 ? " subscriber" : " subscribers");
      }
      circuit.onSuccess();
      return new SendOutcome.Succeeded(
          new SendOutcome.Response(0, excerpt.toString()), since(start));
    } catch (RuntimeException e) {
      // Every Jedis failure ends here: the outbox decides about retries, the worker never sees
      // an exception from Redis.
      RedisFailures.Failure failure = RedisFailures.classify(e);
      if (failure.unhealthy()) {
        circuit.onFailure();
      } else {
        circuit.onNeutral();
      }
      SendOutcome.Error error = new SendOutcome.Error(failure.type(), failure.message());
      return failure.retryable()
          ? new SendOutcome.Retry(null, since(start), error, null)
          : new SendOutcome.Failed(null, since(start), error, false);
    }
  }

  private SendOutcome circuitOpen(long start) {
    Duration wait = circuit.retryAfter();
    return new SendOutcome.Refused(
        since(start),
        new SendOutcome.Error(
            "redis_circuit_open",
            "Redis failed "
                + settings.circuitFailureThreshold()
                + " times in a row; not calling it until the circuit half-opens"),
        // Zero while a probe is in flight: look again shortly after it.
        wait.isZero() ? BUSY_WAIT : wait);
  }

  /**
   * How long the circuit refuses every publish from now: the worker claims no Redis delivery
   * meanwhile.
   */
  @Override
  public Duration pausedFor() {
    return circuit.retryAfter();
  }

  private UnifiedJedis client() {
    UnifiedJedis current = client;
    if (current != null) {
      return current;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("The Redis transport is closed");
      }
      if (client == null) {
        // Lazily, so that a server or worker starts while Redis is down; a failed creation is
        // a failed send and is tried again on the next one.
        client = clientFactory.apply(settings);
      }
      return client;
    }
  }

  /** Publish slots free now (for tests and diagnostics). */
  int availableBulkheadSlots() {
    return bulkhead.available();
  }

  InMemoryCircuit circuit() {
    return circuit;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }

  @Override
  public String toString() {
    return "RedisTransport[" + settings.url() + ", " + settings.mode() + "]";
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

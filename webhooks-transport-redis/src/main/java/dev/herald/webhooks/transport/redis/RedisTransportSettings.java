package dev.herald.webhooks.transport.redis;

import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.transport.redis.internal.NameTemplate;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of one {@link RedisTransport}, validated. Immutable; {@link #toString} masks the
 * password.
 *
 * @param url where Redis is ({@code redis.url}, env {@code REDIS_URL}; required)
 * @param mode what a send does ({@code herald.transport.redis.mode}: {@code pubsub}, {@code
 *     streams} or {@code both}; default {@code pubsub})
 * @param channelTemplate the pub/sub channel ({@code herald.transport.redis.channel-template},
 *     default {@code herald:{tenant}:{type}}; a fixed name needs no placeholder)
 * @param streamTemplate the stream key ({@code herald.transport.redis.stream-template}, default
 *     {@code herald:events:{tenant}})
 * @param streamMaxLen approximate length cap of each stream, {@code MAXLEN ~} ({@code
 *     herald.transport.redis.stream-maxlen}, default 100000)
 * @param payload what is published ({@code herald.transport.redis.payload}: {@code envelope} or
 *     {@code data-python}; default {@code envelope})
 * @param poolMaxTotal pooled connections per node ({@code herald.transport.redis.pool.max-total},
 *     default 16)
 * @param poolMaxWait how long a send waits for a pooled connection ({@code
 *     herald.transport.redis.pool.max-wait}, default 2 s)
 * @param timeout connect and socket timeout ({@code herald.transport.redis.timeout}, default 2 s)
 * @param bulkhead concurrent publishes allowed ({@code herald.transport.redis.bulkhead}, default
 *     16)
 * @param bulkheadMaxWait how long a send waits for a bulkhead slot ({@code
 *     herald.transport.redis.bulkhead.max-wait}, default 100 ms)
 * @param circuitFailureThreshold consecutive failures that open the circuit ({@code
 *     herald.transport.redis.circuit.failure-threshold}, default 5)
 * @param circuitOpenDuration how long an open circuit refuses sends before a probe ({@code
 *     herald.transport.redis.circuit.open-duration}, default 5 s)
 * @param tlsCaFile PEM certificates to trust for {@code rediss://} besides the JVM's trust store
 *     ({@code herald.transport.redis.tls.ca-file}); null for the JVM's alone
 */
public record RedisTransportSettings(
    RedisUrl url,
    Mode mode,
    String channelTemplate,
    String streamTemplate,
    long streamMaxLen,
    Payload payload,
    int poolMaxTotal,
    Duration poolMaxWait,
    Duration timeout,
    int bulkhead,
    Duration bulkheadMaxWait,
    int circuitFailureThreshold,
    Duration circuitOpenDuration,
    java.nio.file.Path tlsCaFile) {

  public static final String URL = RedisUrl.KEY;
  public static final String MODE = "herald.transport.redis.mode";
  public static final String CHANNEL_TEMPLATE = "herald.transport.redis.channel-template";
  public static final String STREAM_TEMPLATE = "herald.transport.redis.stream-template";
  public static final String STREAM_MAXLEN = "herald.transport.redis.stream-maxlen";
  public static final String PAYLOAD = "herald.transport.redis.payload";
  public static final String POOL_MAX_TOTAL = "herald.transport.redis.pool.max-total";
  public static final String POOL_MAX_WAIT = "herald.transport.redis.pool.max-wait";
  public static final String TIMEOUT = "herald.transport.redis.timeout";
  public static final String BULKHEAD = "herald.transport.redis.bulkhead";
  public static final String BULKHEAD_MAX_WAIT = "herald.transport.redis.bulkhead.max-wait";
  public static final String CIRCUIT_FAILURE_THRESHOLD =
      "herald.transport.redis.circuit.failure-threshold";
  public static final String CIRCUIT_OPEN_DURATION = "herald.transport.redis.circuit.open-duration";
  public static final String TLS_CA_FILE = "herald.transport.redis.tls.ca-file";

  public static final String DEFAULT_CHANNEL_TEMPLATE = "herald:{tenant}:{type}";
  public static final String DEFAULT_STREAM_TEMPLATE = "herald:events:{tenant}";
  public static final long DEFAULT_STREAM_MAXLEN = 100_000;
  public static final int DEFAULT_POOL_MAX_TOTAL = 16;
  public static final Duration DEFAULT_POOL_MAX_WAIT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_BULKHEAD = 16;
  public static final Duration DEFAULT_BULKHEAD_MAX_WAIT = Duration.ofMillis(100);
  public static final int DEFAULT_CIRCUIT_FAILURE_THRESHOLD = 5;
  public static final Duration DEFAULT_CIRCUIT_OPEN_DURATION = Duration.ofSeconds(5);

  private static final int LIMIT = 10_000;
  // Jedis takes int milliseconds; beyond this a "timeout" is no longer a guard.
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
  private static final String DURATION_FORMS =
      "a positive duration: seconds (2), a number with a unit (500ms, 2s, 1m) or ISO-8601 (PT2S)";

  /** What a send does. */
  public enum Mode {
    /** {@code PUBLISH} on the channel. */
    PUBSUB,
    /** {@code XADD} to the stream. */
    STREAMS,
    /** {@code XADD}, then {@code PUBLISH}. */
    BOTH;

    public boolean publishes() {
      return this != STREAMS;
    }

    public boolean appends() {
      return this != PUBSUB;
    }

    static Mode parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "pubsub" -> PUBSUB;
        case "streams" -> STREAMS;
        case "both" -> BOTH;
        default -> throw new IllegalArgumentException("unknown mode");
      };
    }
  }

  /** What is published. */
  public enum Payload {
    /** The stored event envelope, byte for byte. */
    ENVELOPE,
    /** The event's {@code data} as Python's {@code json.dumps(data)} prints it. */
    DATA_PYTHON;

    static Payload parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "envelope" -> ENVELOPE;
        case "data-python" -> DATA_PYTHON;
        default -> throw new IllegalArgumentException("unknown payload format");
      };
    }
  }

  public RedisTransportSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(payload, "payload");
    NameTemplate.parse(CHANNEL_TEMPLATE, channelTemplate);
    NameTemplate.parse(STREAM_TEMPLATE, streamTemplate);
    requireRange(STREAM_MAXLEN, streamMaxLen, 1, Long.MAX_VALUE);
    requireRange(POOL_MAX_TOTAL, poolMaxTotal, 1, LIMIT);
    requireRange(BULKHEAD, bulkhead, 1, LIMIT);
    requireRange(CIRCUIT_FAILURE_THRESHOLD, circuitFailureThreshold, 1, LIMIT);
    requirePositive(POOL_MAX_WAIT, poolMaxWait);
    requirePositive(TIMEOUT, timeout);
    requirePositive(BULKHEAD_MAX_WAIT, bulkheadMaxWait);
    requirePositive(CIRCUIT_OPEN_DURATION, circuitOpenDuration);
  }

  /**
   * Reads and validates the keys this transport uses.
   *
   * @throws IllegalArgumentException when {@code redis.url} is missing, or naming the first invalid
   *     key and what it allows (never printing the password)
   */
  public static RedisTransportSettings from(TransportConfig config) {
    Objects.requireNonNull(config, "config");
    RedisUrl url =
        config
            .value(URL)
            .map(RedisUrl::parse)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        RedisUrl.KEY_NAME
                            + " is not set; the Redis transport needs it to know where to"
                            + " publish. Set it to one of: "
                            + RedisUrl.FORMS));
    return new RedisTransportSettings(
        url,
        config.value(MODE, "pubsub, streams or both", Mode::parse).orElse(Mode.PUBSUB),
        config.value(CHANNEL_TEMPLATE).orElse(DEFAULT_CHANNEL_TEMPLATE),
        config.value(STREAM_TEMPLATE).orElse(DEFAULT_STREAM_TEMPLATE),
        config
            .value(STREAM_MAXLEN, "a whole number >= 1", RedisTransportSettings::longValue)
            .orElse(DEFAULT_STREAM_MAXLEN),
        config.value(PAYLOAD, "envelope or data-python", Payload::parse).orElse(Payload.ENVELOPE),
        config
            .value(POOL_MAX_TOTAL, "a whole number from 1 to " + LIMIT, Integer::parseInt)
            .orElse(DEFAULT_POOL_MAX_TOTAL),
        config
            .value(POOL_MAX_WAIT, DURATION_FORMS, RedisTransportSettings::duration)
            .orElse(DEFAULT_POOL_MAX_WAIT),
        config
            .value(TIMEOUT, DURATION_FORMS, RedisTransportSettings::duration)
            .orElse(DEFAULT_TIMEOUT),
        config
            .value(BULKHEAD, "a whole number from 1 to " + LIMIT, Integer::parseInt)
            .orElse(DEFAULT_BULKHEAD),
        config
            .value(BULKHEAD_MAX_WAIT, DURATION_FORMS, RedisTransportSettings::duration)
            .orElse(DEFAULT_BULKHEAD_MAX_WAIT),
        config
            .value(
                CIRCUIT_FAILURE_THRESHOLD, "a whole number from 1 to " + LIMIT, Integer::parseInt)
            .orElse(DEFAULT_CIRCUIT_FAILURE_THRESHOLD),
        config
            .value(CIRCUIT_OPEN_DURATION, DURATION_FORMS, RedisTransportSettings::duration)
            .orElse(DEFAULT_CIRCUIT_OPEN_DURATION),
        config
            .value(
                TLS_CA_FILE, "a readable PEM file of CA certificates", RedisTransportSettings::file)
            .orElse(null));
  }

  private static java.nio.file.Path file(String text) {
    java.nio.file.Path path = java.nio.file.Path.of(text);
    if (!java.nio.file.Files.isReadable(path)) {
      throw new IllegalArgumentException("cannot read " + path);
    }
    return path;
  }

  private static Duration duration(String text) {
    Duration d =
        DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException("not a duration"));
    if (d.isZero() || d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("out of range");
    }
    return d;
  }

  private static long longValue(String text) {
    return Long.parseLong(text);
  }

  private static void requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key
              + " must be from "
              + min
              + (max == Long.MAX_VALUE ? " up" : " to " + max)
              + ", was "
              + value);
    }
  }

  private static void requirePositive(String key, Duration duration) {
    Objects.requireNonNull(duration, key);
    if (duration.isZero() || duration.isNegative() || duration.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          key + " must be greater than zero and at most " + MAX_TIMEOUT + ", was " + duration);
    }
  }
}

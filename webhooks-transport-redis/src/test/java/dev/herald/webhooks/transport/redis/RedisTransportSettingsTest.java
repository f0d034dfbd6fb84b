package dev.herald.webhooks.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.spi.TransportProvider;
import dev.herald.webhooks.transport.redis.RedisTransportSettings.Mode;
import dev.herald.webhooks.transport.redis.RedisTransportSettings.Payload;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisTransportSettingsTest {

  private static TransportConfig config(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(values);
    all.putIfAbsent("redis.url", "redis://localhost:6379");
    return key -> Optional.ofNullable(all.get(key));
  }

  @Test
  void isFoundThroughTheServiceLoaderByName() {
    ClassLoader loader = RedisTransportProvider.class.getClassLoader();

    assertThat(ServiceLoader.load(TransportProvider.class, loader).stream())
        .anySatisfy(p -> assertThat(p.type()).isEqualTo(RedisTransportProvider.class));
    assertThat(TransportRegistry.load(loader).require("herald.transport", "redis"))
        .isInstanceOf(RedisTransportProvider.class);
  }

  @Test
  void defaults() {
    RedisTransportSettings settings = RedisTransportSettings.from(config(Map.of()));

    assertThat(settings.mode()).isEqualTo(Mode.PUBSUB);
    assertThat(settings.channelTemplate()).isEqualTo("herald:{tenant}:{type}");
    assertThat(settings.streamTemplate()).isEqualTo("herald:events:{tenant}");
    assertThat(settings.streamMaxLen()).isEqualTo(100_000);
    assertThat(settings.payload()).isEqualTo(Payload.ENVELOPE);
    assertThat(settings.poolMaxTotal()).isEqualTo(16);
    assertThat(settings.poolMaxWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.bulkhead()).isEqualTo(16);
    assertThat(settings.circuitFailureThreshold()).isEqualTo(5);
    assertThat(settings.circuitOpenDuration()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsEveryKey() {
    RedisTransportSettings settings =
        RedisTransportSettings.from(
            config(
                Map.ofEntries(
                    Map.entry("herald.transport.redis.mode", "Both"),
                    Map.entry("herald.transport.redis.channel-template", "model-registrations"),
                    Map.entry("herald.transport.redis.stream-template", "s:{type}"),
                    Map.entry("herald.transport.redis.stream-maxlen", "500"),
                    Map.entry("herald.transport.redis.payload", "data-python"),
                    Map.entry("herald.transport.redis.pool.max-total", "4"),
                    Map.entry("herald.transport.redis.pool.max-wait", "250ms"),
                    Map.entry("herald.transport.redis.timeout", "PT1S"),
                    Map.entry("herald.transport.redis.bulkhead", "3"),
                    Map.entry("herald.transport.redis.bulkhead.max-wait", "10ms"),
                    Map.entry("herald.transport.redis.circuit.failure-threshold", "2"),
                    Map.entry("herald.transport.redis.circuit.open-duration", "1m"))));

    assertThat(settings.mode()).isEqualTo(Mode.BOTH);
    assertThat(settings.channelTemplate()).isEqualTo("model-registrations");
    assertThat(settings.streamTemplate()).isEqualTo("s:{type}");
    assertThat(settings.streamMaxLen()).isEqualTo(500);
    assertThat(settings.payload()).isEqualTo(Payload.DATA_PYTHON);
    assertThat(settings.poolMaxTotal()).isEqualTo(4);
    assertThat(settings.poolMaxWait()).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.bulkhead()).isEqualTo(3);
    assertThat(settings.bulkheadMaxWait()).isEqualTo(Duration.ofMillis(10));
    assertThat(settings.circuitFailureThreshold()).isEqualTo(2);
    assertThat(settings.circuitOpenDuration()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void missingUrlSaysWhatToSet() {
    assertThatThrownBy(() -> new RedisTransportProvider().create(key -> Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("REDIS_URL (redis.url) is not set; the Redis transport needs it")
        .hasMessageContaining("redis-sentinel://");
  }

  @Test
  void badUrlThroughTheProviderNeverShowsThePassword() {
    assertThatThrownBy(
            () ->
                new RedisTransportProvider()
                    .create(config(Map.of("redis.url", "redis://:topsecret@host:port"))))
        .hasMessageContaining("REDIS_URL (redis.url)")
        .hasMessageNotContaining("topsecret");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "herald.transport.redis.mode | fanout | pubsub, streams or both",
        "herald.transport.redis.payload | xml | envelope or data-python",
        "herald.transport.redis.stream-maxlen | lots | whole number",
        "herald.transport.redis.stream-maxlen | 0 | must be from 1",
        "herald.transport.redis.pool.max-total | 0 | must be from 1",
        "herald.transport.redis.pool.max-wait | forever | positive duration",
        "herald.transport.redis.timeout | 0 | positive duration",
        "herald.transport.redis.bulkhead | -1 | must be from 1",
        "herald.transport.redis.circuit.failure-threshold | x | whole number",
        "herald.transport.redis.circuit.open-duration | 0s | positive duration",
        "herald.transport.redis.channel-template | herald:{tenant}:{event} | unknown placeholder"
            + " {event}",
        "herald.transport.redis.stream-template | herald:{tenant | unbalanced",
        "herald.transport.redis.channel-template | a b | spaces"
      })
  void invalidValuesNameTheKey(String key, String value, String expected) {
    assertThatThrownBy(() -> RedisTransportSettings.from(config(Map.of(key, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(expected);
  }

  @Test
  void providerCreatesATransportWithoutConnecting() {
    // Port 1 on loopback: nothing listens, and creation must not need Redis to be up.
    try (Transport transport =
        new RedisTransportProvider().create(config(Map.of("redis.url", "redis://127.0.0.1:1")))) {
      assertThat(((RedisTransport) transport).settings().url().nodes().get(0).port()).isEqualTo(1);
      assertThat(transport.toString()).contains("redis://127.0.0.1:1");
    }
  }

  @Test
  void toStringOfTheSettingsMasksThePassword() {
    RedisTransportSettings settings =
        RedisTransportSettings.from(config(Map.of("redis.url", "redis://:topsecret@h:6379")));

    assertThat(settings.toString()).doesNotContain("topsecret").contains(":****@h:6379");
  }
}

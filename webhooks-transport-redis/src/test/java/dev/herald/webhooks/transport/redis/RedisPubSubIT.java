package dev.herald.webhooks.transport.redis;

import static dev.herald.webhooks.transport.redis.RedisFixtures.config;
import static dev.herald.webhooks.transport.redis.RedisFixtures.envelope;
import static dev.herald.webhooks.transport.redis.RedisFixtures.message;
import static dev.herald.webhooks.transport.redis.RedisFixtures.pythonJsonDumps;
import static dev.herald.webhooks.transport.redis.RedisFixtures.sharedJedis;
import static dev.herald.webhooks.transport.redis.RedisFixtures.sharedUrl;
import static dev.herald.webhooks.transport.redis.RedisFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisPubSubIT {

  @Test
  void subscriberOnTheTemplatedChannelReceivesExactlyTheEnvelopeBytes() throws Exception {
    String tenant = unique("tenant");
    String body =
        envelope("evt_1", "memory.created", tenant, "{\"memory_id\":\"123\",\"user_id\":\"u-9\"}");
    try (Transport transport = new RedisTransportProvider().create(config(sharedUrl(), Map.of()));
        Subscriber subscriber =
            Subscriber.on(sharedJedis(), "herald:" + tenant + ":memory.created")) {

      SendOutcome outcome = transport.send(message("evt_1", "memory.created", tenant, body));

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(outcome.response().statusCode()).isZero();
      assertThat(outcome.response().bodyExcerpt()).contains("reached 1 subscriber");
      assertThat(subscriber.awaitMessages(1))
          .singleElement()
          .isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void fixedLegacyChannelNameWorksWithoutPlaceholders() throws Exception {
    // The seed systems' consumers listen on `model-registrations`. The shared server may have
    // other listeners on that exact name, so a per-run database is not available for pub/sub
    // (channels are global); the test checks only the message it sent.
    String tenant = unique("tenant");
    String body = envelope("evt_legacy", "model.registered", tenant, "{\"model_id\":\"m1\"}");
    try (Transport transport =
            new RedisTransportProvider()
                .create(
                    config(
                        sharedUrl(),
                        Map.of("herald.transport.redis.channel-template", "model-registrations")));
        Subscriber subscriber = Subscriber.on(sharedJedis(), "model-registrations")) {

      assertThat(transport.send(message("evt_legacy", "model.registered", tenant, body)))
          .isInstanceOf(SendOutcome.Succeeded.class);

      byte[] expected = body.getBytes(StandardCharsets.UTF_8);
      subscriber.awaitMessages(1);
      assertThat(subscriber.messages).anySatisfy(m -> assertThat(m).isEqualTo(expected));
    }
  }

  @Test
  void dataPythonPayloadIsWhatPythonJsonDumpsPrints() throws Exception {
    String tenant = unique("tenant");
    String channel = unique("model-registrations");
    String data =
        "{\"model_id\":\"mdl-7\",\"registered_version\":\"1.0.2\",\"token_symbol\":\"ÆON\","
            + "\"baseline_metrics\":{\"accuracy\":0.9312,\"loss\":1e-05,\"epochs\":12,"
            + "\"big\":12345678901234567890,\"ratio\":1.0},"
            + "\"metadata\":{\"owner\":\"Zoë 🚀\",\"tags\":[\"café\",\"日本\",null,true],"
            + "\"quote\":\"a\\\"b\\\\c\\n\",\"zeta\":{},\"alpha\":[]}}";
    String body = envelope("evt_py", "model.registered", tenant, data);
    try (Transport transport =
            new RedisTransportProvider()
                .create(
                    config(
                        sharedUrl(),
                        Map.of(
                            "herald.transport.redis.channel-template",
                            channel,
                            "herald.transport.redis.payload",
                            "data-python")));
        Subscriber subscriber = Subscriber.on(sharedJedis(), channel)) {

      assertThat(transport.send(message("evt_py", "model.registered", tenant, body)))
          .isInstanceOf(SendOutcome.Succeeded.class);

      byte[] expected = pythonJsonDumps(data);
      assertThat(new String(expected, StandardCharsets.UTF_8))
          .as("python3 output sanity check")
          .startsWith("{\"model_id\": \"mdl-7\"")
          .contains("\\u00c6ON", "\\ud83d\\ude80", "1e-05");
      assertThat(subscriber.awaitMessages(1)).singleElement().isEqualTo(expected);
    }
  }
}

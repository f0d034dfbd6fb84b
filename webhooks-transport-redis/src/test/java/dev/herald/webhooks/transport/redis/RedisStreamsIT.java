package dev.herald.webhooks.transport.redis;

import static dev.herald.webhooks.transport.redis.RedisFixtures.config;
import static dev.herald.webhooks.transport.redis.RedisFixtures.envelope;
import static dev.herald.webhooks.transport.redis.RedisFixtures.message;
import static dev.herald.webhooks.transport.redis.RedisFixtures.sharedJedis;
import static dev.herald.webhooks.transport.redis.RedisFixtures.sharedUrl;
import static dev.herald.webhooks.transport.redis.RedisFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

class RedisStreamsIT {

  private final Jedis jedis = sharedJedis();
  private final List<String> keys = new ArrayList<>();

  @AfterEach
  void deleteTheKeysThisTestMade() {
    keys.forEach(jedis::del);
    jedis.close();
  }

  private Transport transport(String tenant, Map<String, String> extra) {
    keys.add("it:events:" + tenant);
    Map<String, String> values = new java.util.HashMap<>(extra);
    values.putIfAbsent("herald.transport.redis.mode", "streams");
    values.put("herald.transport.redis.stream-template", "it:events:{tenant}");
    return new RedisTransportProvider().create(config(sharedUrl(), values));
  }

  private static SendOutcome send(Transport transport, String tenant, int n) {
    String id = "evt_" + n;
    return transport.send(
        message(id, "memory.created", tenant, envelope(id, "memory.created", tenant, "{}")));
  }

  @Test
  void entriesCarryIdTypeAndTheEnvelopeAsPayload() {
    String tenant = unique("t");
    try (Transport transport = transport(tenant, Map.of())) {
      SendOutcome outcome = send(transport, tenant, 1);

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(outcome.response().bodyExcerpt()).startsWith("XADD it:events:" + tenant + " ");
      List<StreamEntry> entries =
          jedis.xrange("it:events:" + tenant, (StreamEntryID) null, (StreamEntryID) null);
      assertThat(entries).singleElement();
      assertThat(entries.get(0).getFields())
          .containsExactly(
              Map.entry("id", "evt_1"),
              Map.entry("type", "memory.created"),
              Map.entry("payload", envelope("evt_1", "memory.created", tenant, "{}")));
    }
  }

  @Test
  void approximateMaxLenTrimsTheStream() {
    String tenant = unique("t");
    try (Transport transport =
        transport(tenant, Map.of("herald.transport.redis.stream-maxlen", "10"))) {
      for (int i = 0; i < 1000; i++) {
        assertThat(send(transport, tenant, i)).isInstanceOf(SendOutcome.Succeeded.class);
      }

      // MAXLEN ~ trims whole macro nodes (100 entries by default), so the stream stays short
      // but not exactly at 10.
      assertThat(jedis.xlen("it:events:" + tenant)).isGreaterThanOrEqualTo(10).isLessThan(250);
    }
  }

  @Test
  void consumerGroupReceivesEveryEventOnceItAcknowledges() {
    String tenant = unique("t");
    String key = "it:events:" + tenant;
    jedis.xgroupCreate(key, "legacy", new StreamEntryID(0, 0), true);
    try (Transport transport = transport(tenant, Map.of())) {
      for (int i = 0; i < 20; i++) {
        send(transport, tenant, i);
      }

      Set<String> seen = new java.util.HashSet<>();
      List<StreamEntry> batch;
      do {
        batch = readGroup(key, "legacy", "c1", 7);
        for (StreamEntry entry : batch) {
          assertThat(seen.add(entry.getFields().get("id"))).as("delivered once").isTrue();
          assertThat(jedis.xack(key, "legacy", entry.getID())).isEqualTo(1);
        }
      } while (!batch.isEmpty());

      assertThat(seen)
          .isEqualTo(
              java.util.stream.IntStream.range(0, 20)
                  .mapToObj(i -> "evt_" + i)
                  .collect(Collectors.toSet()));
      assertThat(jedis.xpending(key, "legacy").getTotal()).isZero();
    }
  }

  @Test
  void autoClaimLetsASecondConsumerTakeOverUnacknowledgedEntries() {
    String tenant = unique("t");
    String key = "it:events:" + tenant;
    jedis.xgroupCreate(key, "legacy", new StreamEntryID(0, 0), true);
    try (Transport transport = transport(tenant, Map.of())) {
      for (int i = 0; i < 3; i++) {
        send(transport, tenant, i);
      }
      List<StreamEntry> readByCrashedConsumer = readGroup(key, "legacy", "c1", 10);
      assertThat(readByCrashedConsumer).hasSize(3);

      // min-idle-time 0: the test does not wait; production consumers use e.g. 60000 ms.
      Map.Entry<StreamEntryID, List<StreamEntry>> claimed =
          jedis.xautoclaim(
              key,
              "legacy",
              "c2",
              0,
              new StreamEntryID(0, 0),
              XAutoClaimParams.xAutoClaimParams().count(10));

      assertThat(claimed.getValue())
          .extracting(e -> e.getFields().get("id"))
          .containsExactly("evt_0", "evt_1", "evt_2");
      for (StreamEntry entry : claimed.getValue()) {
        jedis.xack(key, "legacy", entry.getID());
      }
      assertThat(jedis.xpending(key, "legacy").getTotal()).isZero();
    }
  }

  @Test
  void bothModeAppendsAndPublishes() throws Exception {
    String tenant = unique("t");
    try (Transport transport = transport(tenant, Map.of("herald.transport.redis.mode", "both"));
        Subscriber subscriber =
            Subscriber.on(sharedJedis(), "herald:" + tenant + ":memory.created")) {
      SendOutcome outcome = send(transport, tenant, 1);

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(outcome.response().bodyExcerpt()).contains("XADD", "PUBLISH");
      assertThat(subscriber.awaitMessages(1)).hasSize(1);
      assertThat(jedis.xlen("it:events:" + tenant)).isEqualTo(1);
    }
  }

  @Test
  void wrongTypeStreamKeyIsAFailureRetryingCannotFix() {
    String tenant = unique("t");
    try (Transport transport = transport(tenant, Map.of())) {
      jedis.set("it:events:" + tenant, "not a stream");

      SendOutcome outcome = send(transport, tenant, 1);

      assertThat(outcome).isInstanceOf(SendOutcome.Failed.class);
      assertThat(((SendOutcome.Failed) outcome).error().type()).isEqualTo("redis_wrongtype");
    }
  }

  private List<StreamEntry> readGroup(String key, String group, String consumer, int count) {
    List<Map.Entry<String, List<StreamEntry>>> result =
        jedis.xreadGroup(
            group,
            consumer,
            XReadGroupParams.xReadGroupParams().count(count),
            Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    return result == null || result.isEmpty() ? List.of() : result.get(0).getValue();
  }
}

package dev.herald.webhooks.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.InvalidEventException;
import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.ClaimRules;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointDirectory;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.EnvelopeEncoder;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.OutboxStore;
import dev.herald.webhooks.spi.PreparedEvent;
import dev.herald.webhooks.spi.Recorded;
import dev.herald.webhooks.spi.SigningSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The publisher's own decisions; the store's behaviour is covered by the store contract suite. */
class DefaultEventPublisherTest {
  private static final Instant NOW = Instant.parse("2026-11-23T21:15:03.123456Z");

  /** Keeps what it was asked to store, and the body the encoder makes at sequence 5. */
  static final class CapturingOutbox implements OutboxStore {
    final List<PreparedEvent> published = new ArrayList<>();
    final List<byte[]> bodies = new ArrayList<>();
    final List<List<PreparedEvent>> batches = new ArrayList<>();

    @Override
    public List<PublishResult> publishAll(List<PreparedEvent> events, EnvelopeEncoder encoder) {
      batches.add(List.copyOf(events));
      List<PublishResult> results = new ArrayList<>();
      for (PreparedEvent event : events) {
        results.add(publish(event, encoder));
      }
      return results;
    }

    @Override
    public PublishResult publish(PreparedEvent event, EnvelopeEncoder encoder) {
      published.add(event);
      bodies.add(encoder.encode(event.event().withSequence(5)));
      return new PublishResult(event.event().id(), false);
    }

    @Override
    public void releaseSlots(String owner, java.util.Collection<String> endpointIds) {}

    @Override
    public List<ClaimedDelivery> claim(String owner, int max, Duration lease, ClaimRules rules) {
      return List.of();
    }

    @Override
    public int renewLeases(String owner, Collection<String> ids, Duration lease) {
      return 0;
    }

    @Override
    public Recorded record(String owner, List<DeliveryResult> results, HealthRules rules) {
      return new Recorded(0, List.of());
    }

    @Override
    public void release(String owner, Collection<String> ids) {}

    @Override
    public boolean addDelivery(String tenantId, String eventId, DeliveryTarget target) {
      return false;
    }

    @Override
    public AutoCloseable onNewWork(Runnable listener) {
      return () -> {};
    }
  }

  private final CapturingOutbox outbox = new CapturingOutbox();
  private final Endpoint memoryHook =
      new Endpoint(
          "wh_1",
          "acme",
          "https://example.com/h",
          "http",
          List.of("memory.*"),
          SignatureProfile.STANDARD,
          null,
          List.of(new SigningSecret("whsec_x", null)),
          Map.of(),
          null,
          10,
          null,
          true,
          null,
          null,
          null,
          null,
          Instant.EPOCH,
          null,
          Ordering.NONE,
          null,
          EndpointFormat.HERALD,
          false);
  private final EndpointDirectory directory =
      new EndpointDirectory() {
        @Override
        public List<Endpoint> activeEndpoints(String tenantId) {
          return tenantId.equals("acme") ? List.of(memoryHook) : List.of();
        }

        @Override
        public Optional<Endpoint> find(String tenantId, String endpointId) {
          return Optional.empty();
        }

        @Override
        public void disable(String tenantId, String endpointId, String reason) {}
      };

  private DefaultEventPublisher publisher(MigrationPhase phase) {
    return new DefaultEventPublisher(
        new EventValidator(new EventTypeRegistry(List.of()), 256 * 1024),
        directory,
        () -> PhaseSelection.of(phase),
        outbox,
        Duration.ofHours(24),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void routesToMatchingEndpointAndRedisInDualWithTheTypesPriority() {
    publisher(MigrationPhase.DUAL)
        .publish(NewEvent.of("acme", "memory.created", Map.of("memory_id", "m", "user_id", "u")));
    PreparedEvent prepared = outbox.published.get(0);
    assertThat(prepared.targets())
        .containsExactly(new DeliveryTarget("http", "wh_1"), DeliveryTarget.redis());
    assertThat(prepared.priority()).isEqualTo(Priority.NORMAL);
    assertThat(prepared.dedupWindow()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void assignsIdMillisecondTimestampAndDerivedKey() {
    PublishResult result =
        publisher(MigrationPhase.WEBHOOK_ONLY)
            .publish(
                NewEvent.of("acme", "quota.exceeded", Map.of("quota", "q", "used", 2, "limit", 1)));
    PreparedEvent prepared = outbox.published.get(0);
    assertThat(result.eventId()).isEqualTo(prepared.event().id()).startsWith("evt_");
    assertThat(prepared.event().timestamp()).isEqualTo(Instant.parse("2026-11-23T21:15:03.123Z"));
    assertThat(prepared.event().idempotencyKey()).startsWith("sha256:");
    assertThat(prepared.priority()).isEqualTo(Priority.HIGH);
    assertThat(prepared.targets()).isEmpty();
  }

  @Test
  void encoderWritesTheStandardEnvelopeWithTheStoresSequence() {
    publisher(MigrationPhase.WEBHOOK_ONLY)
        .publish(
            NewEvent.of("acme", "memory.deleted", Map.of("memory_id", "m", "user_id", "u"))
                .withSubject("memory/m")
                .withIdempotencyKey("k1"));
    String body = new String(outbox.bodies.get(0), StandardCharsets.UTF_8);
    assertThat(body)
        .contains("\"idempotency_key\":\"k1\"")
        .contains("\"subject\":\"memory/m\",\"sequence\":5,");
  }

  @Test
  void invalidEventIsRefusedBeforeTheStore() {
    assertThatThrownBy(
            () ->
                publisher(MigrationPhase.DUAL)
                    .publish(NewEvent.of("acme", "memory.created", Map.of())))
        .isInstanceOf(InvalidEventException.class);
    assertThat(outbox.published).isEmpty();
  }

  @Test
  void publishAllHandsTheWholeBatchToTheStoreOnceInOrder() {
    List<PublishResult> results =
        publisher(MigrationPhase.WEBHOOK_ONLY)
            .publishAll(
                List.of(
                    NewEvent.of("acme", "memory.deleted", Map.of("memory_id", "1", "user_id", "u")),
                    NewEvent.of(
                        "other", "memory.deleted", Map.of("memory_id", "2", "user_id", "u")),
                    NewEvent.of(
                        "acme", "memory.deleted", Map.of("memory_id", "3", "user_id", "u"))));
    assertThat(outbox.batches).hasSize(1);
    List<PreparedEvent> batch = outbox.batches.get(0);
    assertThat(results)
        .extracting(PublishResult::eventId)
        .containsExactlyElementsOf(batch.stream().map(p -> p.event().id()).toList());
    assertThat(batch.get(0).targets()).containsExactly(new DeliveryTarget("http", "wh_1"));
    assertThat(batch.get(1).targets()).isEmpty();
    assertThat(batch.get(2).targets()).containsExactly(new DeliveryTarget("http", "wh_1"));
  }

  @Test
  void publishAllRefusesTheWholeBatchNamingTheIndexOfTheInvalidEvent() {
    assertThatThrownBy(
            () ->
                publisher(MigrationPhase.DUAL)
                    .publishAll(
                        List.of(
                            NewEvent.of(
                                "acme", "memory.deleted", Map.of("memory_id", "1", "user_id", "u")),
                            NewEvent.of("acme", "memory.deleted", Map.of("memory_id", "2")))))
        .isInstanceOf(InvalidEventException.class)
        .satisfies(
            e -> {
              InvalidEventException invalid = (InvalidEventException) e;
              assertThat(invalid.field()).startsWith("events[1]");
              assertThat(invalid.getMessage()).startsWith("event 1: ");
              assertThat(invalid.reason()).isEqualTo(InvalidEventException.Reason.SCHEMA_VIOLATION);
            });
    assertThat(outbox.published).isEmpty();
  }
}

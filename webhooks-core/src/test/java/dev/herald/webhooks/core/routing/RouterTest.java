package dev.herald.webhooks.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.SigningSecret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  static Endpoint endpoint(String id, boolean active, String... filters) {
    return new Endpoint(
        id,
        "acme",
        "https://example.com/" + id,
        "http",
        List.of(filters),
        SignatureProfile.STANDARD,
        null,
        List.of(new SigningSecret("whsec_x", null)),
        Map.of(),
        null,
        10,
        null,
        active,
        active ? null : "disabled by test",
        null,
        null,
        null,
        java.time.Instant.EPOCH,
        null,
        Ordering.NONE,
        null,
        EndpointFormat.HERALD,
        false);
  }

  static NewEvent event(String type) {
    return NewEvent.of("acme", type, Map.of());
  }

  private final List<Endpoint> endpoints =
      List.of(
          endpoint("wh_memory", true, "memory.*"),
          endpoint("wh_quota", true, "quota.exceeded"),
          endpoint("wh_all", true, "*"),
          endpoint("wh_off", false, "*"));

  @Test
  void redisOnlySendsEveryEventToRedisAndNoWebhook() {
    assertThat(Router.route(MigrationPhase.REDIS_ONLY, event("memory.created"), endpoints))
        .containsExactly(DeliveryTarget.redis());
  }

  @Test
  void dualSendsToMatchingWebhooksAndRedis() {
    assertThat(Router.route(MigrationPhase.DUAL, event("memory.created"), endpoints))
        .containsExactly(
            new DeliveryTarget("http", "wh_memory"),
            new DeliveryTarget("http", "wh_all"),
            DeliveryTarget.redis());
  }

  @Test
  void webhookPrimarySendsToWebhooksOnlyAtPublish() {
    assertThat(Router.route(MigrationPhase.WEBHOOK_PRIMARY, event("quota.exceeded"), endpoints))
        .containsExactly(
            new DeliveryTarget("http", "wh_quota"), new DeliveryTarget("http", "wh_all"));
  }

  @Test
  void webhookOnlyNeverSendsToRedis() {
    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, event("session.started"), endpoints))
        .containsExactly(new DeliveryTarget("http", "wh_all"));
  }

  @Test
  void disabledEndpointsGetNothing() {
    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, event("user.created"), endpoints))
        .extracting(DeliveryTarget::endpointId)
        .doesNotContain("wh_off");
  }

  @Test
  void fallsBackToRedisOnlyInWebhookPrimary() {
    assertThat(Router.fallsBackToRedis(MigrationPhase.WEBHOOK_PRIMARY)).isTrue();
    assertThat(Router.fallsBackToRedis(MigrationPhase.WEBHOOK_ONLY)).isFalse();
    assertThat(Router.fallsBackToRedis(MigrationPhase.DUAL)).isFalse();
    assertThat(Router.fallsBackToRedis(MigrationPhase.REDIS_ONLY)).isFalse();
  }

  @Test
  void tenantOverrideBeatsGlobalPhase() {
    PhaseSelection selection =
        new PhaseSelection(
            MigrationPhase.WEBHOOK_ONLY, Map.of("legacy-co", MigrationPhase.REDIS_ONLY));
    assertThat(selection.phaseFor("legacy-co")).isEqualTo(MigrationPhase.REDIS_ONLY);
    assertThat(selection.phaseFor("acme")).isEqualTo(MigrationPhase.WEBHOOK_ONLY);
  }

  @Test
  void phaseNamesParseAndBadOnesNameTheAllowedValues() {
    assertThat(MigrationPhase.fromWireName("Webhook_Primary"))
        .isEqualTo(MigrationPhase.WEBHOOK_PRIMARY);
    assertThatThrownBy(() -> MigrationPhase.fromWireName("both"))
        .hasMessage(
            "unknown migration phase 'both'; allowed: redis-only, dual, webhook-primary, webhook-only");
  }

  @Test
  void anEndpointWithAPayloadFilterGetsOnlyTheEventsItAccepts() {
    Endpoint base = endpoint("wh_important", true, "memory.*");
    Endpoint filtered =
        new Endpoint(
            base.id(),
            base.tenantId(),
            base.url(),
            base.transport(),
            base.eventTypes(),
            base.signatureProfile(),
            base.headerPrefix(),
            base.secrets(),
            base.customHeaders(),
            base.retryDelays(),
            base.maxInFlight(),
            base.rateLimitPerSecond(),
            true,
            null,
            null,
            null,
            null,
            base.createdAt(),
            "data.importance >= 0.8",
            Ordering.NONE,
            null,
            EndpointFormat.HERALD,
            false);
    NewEvent important = NewEvent.of("acme", "memory.created", Map.of("importance", 0.9));
    NewEvent minor = NewEvent.of("acme", "memory.created", Map.of("importance", 0.2));
    NewEvent without = NewEvent.of("acme", "memory.created", Map.of("memory_id", "m"));

    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, important, List.of(filtered)))
        .extracting(DeliveryTarget::endpointId)
        .containsExactly("wh_important");
    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, minor, List.of(filtered))).isEmpty();
    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, without, List.of(filtered)))
        .as("a missing field does not match")
        .isEmpty();
  }
}

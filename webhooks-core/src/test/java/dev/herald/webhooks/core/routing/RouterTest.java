package dev.herald.webhooks.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
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
        java.time.Instant.EPOCH);
  }

  private final List<Endpoint> endpoints =
      List.of(
          endpoint("wh_memory", true, "memory.*"),
          endpoint("wh_quota", true, "quota.exceeded"),
          endpoint("wh_all", true, "*"),
          endpoint("wh_off", false, "*"));

  @Test
  void redisOnlySendsEveryEventToRedisAndNoWebhook() {
    assertThat(Router.route(MigrationPhase.REDIS_ONLY, "memory.created", endpoints))
        .containsExactly(DeliveryTarget.redis());
  }

  @Test
  void dualSendsToMatchingWebhooksAndRedis() {
    assertThat(Router.route(MigrationPhase.DUAL, "memory.created", endpoints))
        .containsExactly(
            new DeliveryTarget("http", "wh_memory"),
            new DeliveryTarget("http", "wh_all"),
            DeliveryTarget.redis());
  }

  @Test
  void webhookPrimarySendsToWebhooksOnlyAtPublish() {
    assertThat(Router.route(MigrationPhase.WEBHOOK_PRIMARY, "quota.exceeded", endpoints))
        .containsExactly(
            new DeliveryTarget("http", "wh_quota"), new DeliveryTarget("http", "wh_all"));
  }

  @Test
  void webhookOnlyNeverSendsToRedis() {
    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, "session.started", endpoints))
        .containsExactly(new DeliveryTarget("http", "wh_all"));
  }

  @Test
  void disabledEndpointsGetNothing() {
    assertThat(Router.route(MigrationPhase.WEBHOOK_ONLY, "user.created", endpoints))
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
}

package dev.herald.webhooks.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.retry.RetrySchedule;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings as operators give them: environment variables. */
class HeraldSettingsTest {

  private static HeraldSettings fromEnvironment(Map<String, String> env) {
    return HeraldSettings.load(
        new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300)).build());
  }

  private static ConfigurationException refusal(Map<String, String> env) {
    return catchThrowableOfType(ConfigurationException.class, () -> fromEnvironment(env));
  }

  @Test
  void defaultsMatchTheDesign() {
    HeraldSettings s = fromEnvironment(Map.of());
    assertThat(s.migrationPhase()).isEqualTo(MigrationPhase.WEBHOOK_ONLY);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.retrySchedule()).isEqualTo(RetrySchedule.defaults());
    assertThat(s.retryJitter()).isEqualTo(0.2);
    assertThat(s.maxInFlightPerEndpoint()).isEqualTo(10);
    assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.maxPayloadBytes()).isEqualTo(262144);
    assertThat(s.dedupWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(s.circuitBreaker().failureThreshold()).isEqualTo(5);
    assertThat(s.circuitBreaker().openDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.autoDisableAfter()).isEqualTo(Duration.ofDays(5));
    assertThat(s.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(s.production()).isFalse();
    assertThat(s.ssrf().allowedNetworks()).isEmpty();
    assertThat(s.databaseUrl()).isEmpty();
  }

  @Test
  void readsTheSeedEnvironmentVariables() {
    HeraldSettings s =
        fromEnvironment(
            Map.of(
                "HERALD_MIGRATION_PHASE", "dual",
                "WEBHOOK_TIMEOUT", "15",
                "WEBHOOK_WORKERS", "8",
                "DATABASE_URL", "postgresql://u:p@db:5432/herald",
                "WEBHOOK_URL", "https://hooks.example.com/in",
                "WEBHOOK_SECRET", "s3cret",
                "WEBHOOK_SIGNATURE_PROFILE", "legacy-hex",
                "WEBHOOK_HEADER_PREFIX", "Continuum"));
    assertThat(s.migrationPhase()).isEqualTo(MigrationPhase.DUAL);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.workers()).isEqualTo(8);
    assertThat(s.databaseUrl()).contains("postgresql://u:p@db:5432/herald");
    assertThat(s.defaultEndpoint())
        .contains(
            new DefaultEndpointSettings(
                "https://hooks.example.com/in",
                "s3cret",
                SignatureProfile.LEGACY_HEX,
                "Continuum"));
  }

  @Test
  void retryDelayAndMaxRetriesGiveTheExponentialSchedule() {
    HeraldSettings s =
        fromEnvironment(Map.of("WEBHOOK_RETRY_DELAY", "2", "WEBHOOK_MAX_RETRIES", "5"));
    assertThat(s.retrySchedule().delays())
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(32));
  }

  @Test
  void redisMaxAgeIsOffUnlessSet() {
    assertThat(fromEnvironment(Map.of()).redisMaxAge()).isEmpty();
    assertThat(fromEnvironment(Map.of("HERALD_REDIS_MAX_AGE", "6h")).redisMaxAge())
        .contains(Duration.ofHours(6));
    assertThat(refusal(Map.of("HERALD_REDIS_MAX_AGE", "0")))
        .hasMessageContaining("HERALD_REDIS_MAX_AGE");
  }

  @Test
  void explicitScheduleList() {
    HeraldSettings s = fromEnvironment(Map.of("HERALD_RETRY_SCHEDULE", "1s,2s"));
    assertThat(s.retrySchedule().delays())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void scheduleListAndExponentialFormTogetherAreRefused() {
    assertThat(refusal(Map.of("HERALD_RETRY_SCHEDULE", "1s", "WEBHOOK_MAX_RETRIES", "3")))
        .hasMessageContaining("not both");
  }

  @Test
  void enableRedisFallbackMeansWebhookPrimary() {
    assertThat(fromEnvironment(Map.of("ENABLE_REDIS_FALLBACK", "true")).migrationPhase())
        .isEqualTo(MigrationPhase.WEBHOOK_PRIMARY);
    assertThat(fromEnvironment(Map.of("ENABLE_REDIS_FALLBACK", "false")).migrationPhase())
        .isEqualTo(MigrationPhase.WEBHOOK_ONLY);
  }

  @Test
  void enableRedisFallbackContradictingThePhaseIsRefused() {
    assertThat(refusal(Map.of("ENABLE_REDIS_FALLBACK", "true", "HERALD_MIGRATION_PHASE", "dual")))
        .hasMessageContaining("ENABLE_REDIS_FALLBACK")
        .hasMessageContaining("set only one of them");
  }

  @Test
  void invalidValuesNameTheKeyAndWhatIsAllowed() {
    ConfigurationException e =
        refusal(
            Map.of(
                "HERALD_MIGRATION_PHASE", "phase-4",
                "WEBHOOK_TIMEOUT", "soon",
                "WEBHOOK_WORKERS", "0",
                "HERALD_SSRF_ALLOWED_NETWORKS", "localhost"));
    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "HERALD_MIGRATION_PHASE (herald.migration.phase) is \"phase-4\"; allowed: redis-only, dual, webhook-primary, webhook-only"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "WEBHOOK_TIMEOUT (webhook.timeout) is \"soon\"; allowed: a positive duration"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "WEBHOOK_WORKERS (webhook.workers) is \"0\"; allowed: a whole number from 1 to 1024"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("HERALD_SSRF_ALLOWED_NETWORKS (herald.ssrf.allowed-networks)"));
  }

  @Test
  void invalidSecretValuesAreNeverPrinted() {
    ConfigurationException e = refusal(Map.of("HERALD_SECRETS_KEY", "not-base64-secret!!"));
    assertThat(e).hasMessageContaining("HERALD_SECRETS_KEY").hasMessageContaining("(value hidden)");
    assertThat(e.getMessage()).doesNotContain("not-base64-secret");
  }

  @Test
  void secretsKeyMustBeThirtyTwoBytes() {
    assertThat(refusal(Map.of("HERALD_SECRETS_KEY", "AAAA")))
        .hasMessageContaining("decodes to 3 bytes");
    byte[] key =
        fromEnvironment(
                Map.of(
                    "HERALD_SECRETS_KEY",
                    java.util.Base64.getEncoder().encodeToString(new byte[32])))
            .secretsKey()
            .orElseThrow();
    assertThat(key).hasSize(32);
  }

  @Test
  void productionRequiresHttps() {
    assertThat(fromEnvironment(Map.of("ENVIRONMENT", "production")).ssrf().httpsOnly()).isTrue();
  }

  @Test
  void allowedNetworksExemptionIsExplicit() {
    HeraldSettings s =
        fromEnvironment(Map.of("HERALD_SSRF_ALLOWED_NETWORKS", "127.0.0.0/8, ::1/128"));
    assertThat(s.ssrf().allowedNetworks()).containsExactly("127.0.0.0/8", "::1/128");
  }

  @Test
  void secretWithoutUrlIsRefused() {
    assertThat(refusal(Map.of("WEBHOOK_SECRET", "x"))).hasMessageContaining("set both");
  }

  @Test
  void defaultEndpointUsesTheStandardProfileUnlessTold() {
    String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    DefaultEndpointSettings endpoint =
        fromEnvironment(
                Map.of("WEBHOOK_URL", "https://hooks.example.com/in", "WEBHOOK_SECRET", secret))
            .defaultEndpoint()
            .orElseThrow();
    assertThat(endpoint.profile()).isEqualTo(SignatureProfile.STANDARD);
    assertThat(endpoint.headerPrefix()).isNull();
    assertThat(endpoint.toString()).doesNotContain(secret);
  }

  @Test
  void defaultEndpointSecretMustFitItsProfile() {
    ConfigurationException e =
        refusal(Map.of("WEBHOOK_URL", "https://hooks.example.com/in", "WEBHOOK_SECRET", "s3cret"));
    assertThat(e)
        .hasMessageContaining("WEBHOOK_SECRET")
        .hasMessageContaining("standard signature profile")
        .hasMessageContaining("whsec_");
    assertThat(e.getMessage()).doesNotContain("s3cret");
    assertThat(
            refusal(
                Map.of(
                    "WEBHOOK_URL",
                    "https://hooks.example.com/in",
                    "WEBHOOK_SECRET",
                    "s3cret",
                    "WEBHOOK_SIGNATURE_PROFILE",
                    "legacy-hex")))
        .hasMessageContaining("WEBHOOK_HEADER_PREFIX");
  }

  @Test
  void urlWithoutSecretIsRefused() {
    assertThat(refusal(Map.of("WEBHOOK_URL", "https://hooks.example.com/in")))
        .hasMessageContaining("WEBHOOK_SECRET")
        .hasMessageContaining("set both");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(
            refusal(Map.of("HERALD_LEASE_DURATION", "0s", "HERALD_RETRY_JITTER", "2")).problems())
        .hasSize(2);
  }

  @Test
  void blankValuesMeanUnset() {
    assertThat(fromEnvironment(Map.of("REDIS_URL", "  ")).redisUrl()).isEmpty();
    assertThat(List.of(fromEnvironment(Map.of("HERALD_MIGRATION_PHASE", "")).migrationPhase()))
        .containsExactly(MigrationPhase.WEBHOOK_ONLY);
  }

  @Test
  void portalFrameAncestorsAreOriginsAndNothingThatCouldEscapeTheHeader() {
    assertThat(fromEnvironment(Map.of()).portalFrameAncestors()).isEmpty();
    assertThat(
            fromEnvironment(
                    Map.of(
                        "HERALD_PORTAL_FRAME_ANCESTORS",
                        "https://app.example.com, https://*.example.org http://127.0.0.1:*"))
                .portalFrameAncestors())
        .containsExactly("https://app.example.com", "https://*.example.org", "http://127.0.0.1:*");
    for (String refused :
        List.of("*", "app.example.com", "https://a.example.com; script-src *", "'none'")) {
      assertThat(refusal(Map.of("HERALD_PORTAL_FRAME_ANCESTORS", refused)))
          .as(refused)
          .hasMessageContaining("HERALD_PORTAL_FRAME_ANCESTORS");
    }
  }

  @Test
  void thePublicUrlIsAnAbsoluteHttpUrlEndingInASlash() {
    assertThat(fromEnvironment(Map.of()).publicUrl()).isEmpty();
    assertThat(
            fromEnvironment(Map.of("HERALD_PUBLIC_URL", "https://hooks.example.com/herald"))
                .publicUrl())
        .map(Object::toString)
        .contains("https://hooks.example.com/herald/");
    for (String refused : List.of("hooks.example.com", "ftp://x.example.com/", "https://x/?a=b")) {
      assertThat(refusal(Map.of("HERALD_PUBLIC_URL", refused)))
          .as(refused)
          .hasMessageContaining("HERALD_PUBLIC_URL");
    }
  }
}

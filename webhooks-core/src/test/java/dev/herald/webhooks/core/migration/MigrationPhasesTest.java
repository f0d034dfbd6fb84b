package dev.herald.webhooks.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.spi.SettingsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MigrationPhasesTest {

  /** Settings shared by the "processes" of a test, as the database would share them. */
  static final class SharedSettings implements SettingsStore {
    final Map<String, String> values = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String key) {
      return Optional.ofNullable(values.get(key));
    }

    @Override
    public void put(String key, String value) {
      values.put(key, value);
    }

    @Override
    public void remove(String key) {
      values.remove(key);
    }

    @Override
    public Map<String, String> byPrefix(String prefix) {
      return values.entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .collect(
              Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }
  }

  static final class StepClock extends Clock {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final SharedSettings settings = new SharedSettings();
  private final StepClock clock = new StepClock();
  private final Duration refresh = Duration.ofMillis(500);

  private MigrationPhases process() {
    return new MigrationPhases(settings, MigrationPhase.DUAL, refresh, clock);
  }

  @Test
  void configuredPhaseAppliesUntilAnOperatorSetsOne() {
    assertThat(process().get().global()).isEqualTo(MigrationPhase.DUAL);
  }

  @Test
  void changeIsSeenAtOnceHereAndWithinOneIntervalByEveryOtherProcess() {
    MigrationPhases operator = process();
    MigrationPhases worker = process();
    assertThat(worker.get().global()).isEqualTo(MigrationPhase.DUAL);

    operator.setGlobal(MigrationPhase.WEBHOOK_PRIMARY);
    assertThat(operator.get().global()).isEqualTo(MigrationPhase.WEBHOOK_PRIMARY);
    assertThat(worker.get().global()).isEqualTo(MigrationPhase.DUAL); // cached

    clock.now = clock.now.plus(refresh);
    assertThat(worker.get().global()).isEqualTo(MigrationPhase.WEBHOOK_PRIMARY);
  }

  @Test
  void rollbackToRedisOnlyAndResetToConfigured() {
    MigrationPhases phases = process();
    phases.setGlobal(MigrationPhase.REDIS_ONLY);
    assertThat(phases.get().global()).isEqualTo(MigrationPhase.REDIS_ONLY);
    phases.resetGlobal();
    assertThat(phases.get().global()).isEqualTo(MigrationPhase.DUAL);
  }

  @Test
  void tenantOverrideAppliesToThatTenantOnly() {
    MigrationPhases phases = process();
    phases.setTenant("legacy-co", MigrationPhase.REDIS_ONLY);
    assertThat(phases.get().phaseFor("legacy-co")).isEqualTo(MigrationPhase.REDIS_ONLY);
    assertThat(phases.get().phaseFor("acme")).isEqualTo(MigrationPhase.DUAL);
    phases.setTenant("legacy-co", null);
    assertThat(phases.get().phaseFor("legacy-co")).isEqualTo(MigrationPhase.DUAL);
  }

  @Test
  void brokenStoredValueFallsBackToTheConfiguredPhase() {
    settings.put(MigrationPhases.GLOBAL_KEY, "phase-four");
    assertThat(process().get().global()).isEqualTo(MigrationPhase.DUAL);
  }
}

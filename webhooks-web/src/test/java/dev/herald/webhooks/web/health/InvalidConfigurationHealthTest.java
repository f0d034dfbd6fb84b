package dev.herald.webhooks.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.config.ConfigurationException;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bad webhook setting does not stop the server: readiness is DOWN naming the key, liveness stays
 * UP (a restart would not fix it).
 */
class InvalidConfigurationHealthTest {

  @BeforeAll
  static void plainResponses() {
    HealthCheckResponse.setResponseProvider(PlainBuilder::new);
  }

  private static HeraldConfiguration configurationWith(Map<String, String> env) {
    List<String> problems;
    try {
      HeraldSettings.load(
          new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300)).build());
      problems = List.of();
    } catch (ConfigurationException e) {
      problems = e.problems();
    }
    List<String> found = problems;
    return new HeraldConfiguration() {
      @Override
      public Optional<HeraldSettings> settings() {
        return Optional.empty();
      }

      @Override
      public List<String> problems() {
        return found;
      }
    };
  }

  @Test
  void invalidWebhookTimeoutIsReadinessDownNamingTheKeyAndLivenessUp() {
    HeraldConfiguration configuration = configurationWith(Map.of("WEBHOOK_TIMEOUT", "soon"));
    ConfigurationAndStoreReadiness readiness = new ConfigurationAndStoreReadiness();
    readiness.configuration = configuration;
    WorkerLiveness liveness = new WorkerLiveness();
    liveness.configuration = configuration;

    HealthCheckResponse ready = readiness.call();
    HealthCheckResponse live = liveness.call();

    assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(ready.getData().orElseThrow())
        .containsEntry("configuration", "invalid")
        .hasEntrySatisfying(
            "problem-1",
            problem -> assertThat((String) problem).contains("WEBHOOK_TIMEOUT").contains("soon"));
    assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }

  /** The container's builder is not here: a plain one, as the API's constructor allows. */
  private static final class PlainBuilder extends HealthCheckResponseBuilder {
    private String name;
    private HealthCheckResponse.Status status = HealthCheckResponse.Status.UP;
    private final Map<String, Object> data = new LinkedHashMap<>();

    @Override
    public HealthCheckResponseBuilder name(String name) {
      this.name = name;
      return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, String value) {
      data.put(key, value);
      return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, long value) {
      data.put(key, value);
      return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, boolean value) {
      data.put(key, value);
      return this;
    }

    @Override
    public HealthCheckResponseBuilder up() {
      return status(true);
    }

    @Override
    public HealthCheckResponseBuilder down() {
      return status(false);
    }

    @Override
    public HealthCheckResponseBuilder status(boolean up) {
      status = up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN;
      return this;
    }

    @Override
    public HealthCheckResponse build() {
      return new HealthCheckResponse(name, status, Optional.of(Map.copyOf(data)));
    }
  }
}

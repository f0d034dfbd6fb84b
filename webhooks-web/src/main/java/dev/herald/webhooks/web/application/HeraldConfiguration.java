package dev.herald.webhooks.web.application;

import dev.herald.webhooks.core.config.ConfigurationException;
import dev.herald.webhooks.core.config.HeraldSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Herald's settings, read once from the container's MicroProfile Config. Invalid settings do not
 * fail the deployment: they are kept as problems that readiness reports, and nothing that needs the
 * settings is started.
 */
@ApplicationScoped
public class HeraldConfiguration {
  private static final System.Logger LOG = System.getLogger(HeraldConfiguration.class.getName());

  @Inject Config config;

  private Optional<HeraldSettings> settings = Optional.empty();
  private List<String> problems = List.of();

  @PostConstruct
  void load() {
    try {
      HeraldSettings loaded = HeraldSettings.load(config);
      if (loaded.productionProblem().isPresent()) {
        problems = List.of(loaded.productionProblem().get());
        LOG.log(
            System.Logger.Level.ERROR,
            "Herald is not started: " + problems.get(0) + ".\nFix the configuration and restart.");
        return;
      }
      settings = Optional.of(loaded);
    } catch (ConfigurationException e) {
      problems = e.problems();
      LOG.log(
          System.Logger.Level.ERROR,
          "Herald is not started: " + e.getMessage() + "\nFix the configuration and restart.");
    }
  }

  /** The settings, or empty when some value is invalid (see {@link #problems()}). */
  public Optional<HeraldSettings> settings() {
    return settings;
  }

  /** One line per invalid key; empty when the configuration is valid. */
  public List<String> problems() {
    return problems;
  }

  /** The MicroProfile Config the settings came from; transports read their own keys from it. */
  public Config config() {
    return config;
  }
}

package dev.herald.webhooks.core.config;

import dev.herald.webhooks.core.time.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Reads raw values and collects every problem, so that one start-up reports all bad keys at once.
 * Keys are MicroProfile Config property names; MicroProfile Config also finds each in the
 * environment under its upper-case form ({@code webhook.timeout} as {@code WEBHOOK_TIMEOUT}).
 */
final class ConfigReader {
  /** Keys whose values may hold secrets or passwords: never print them. */
  private static final Set<String> HIDDEN_VALUES =
      Set.of(
          HeraldSettings.DATABASE_URL,
          HeraldSettings.REDIS_URL,
          HeraldSettings.WEBHOOK_SECRET,
          HeraldSettings.ADMIN_API_KEY,
          HeraldSettings.SECRETS_KEY);

  private final Config config;
  private final List<String> problems = new ArrayList<>();

  ConfigReader(Config config) {
    this.config = config;
  }

  /** How operators see a key: the environment variable, then the property name. */
  static String describe(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + " (" + key + ")";
  }

  Optional<String> string(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
  }

  String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  <T> Optional<T> parsed(String key, String allowed, Function<String, T> parser) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(raw.get()));
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      problem(key, raw.get(), allowed + reason);
      return Optional.empty();
    }
  }

  int integer(String key, int defaultValue, int min, int max) {
    return parsed(
            key,
            "a whole number from " + min + " to " + max,
            s -> {
              int value = Integer.parseInt(s);
              if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
              }
              return value;
            })
        .orElse(defaultValue);
  }

  Duration duration(String key, Duration defaultValue) {
    return parsed(
            key,
            "a positive duration: seconds (30), a number with a unit (500ms, 30s, 5m, 2h, 1d) or"
                + " ISO-8601 (PT30S)",
            s -> {
              Duration d =
                  DurationText.parse(s)
                      .orElseThrow(() -> new IllegalArgumentException("not a duration"));
              if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be greater than zero");
              }
              return d;
            })
        .orElse(defaultValue);
  }

  Optional<Boolean> bool(String key) {
    return parsed(
        key,
        "true or false",
        s ->
            switch (s.toLowerCase(Locale.ROOT)) {
              case "true", "1", "yes", "on" -> true;
              case "false", "0", "no", "off" -> false;
              default -> throw new IllegalArgumentException("not a boolean");
            });
  }

  double fraction(String key, double defaultValue) {
    return parsed(
            key,
            "a number from 0 to 1",
            s -> {
              double d = Double.parseDouble(s);
              if (!(d >= 0 && d <= 1)) {
                throw new IllegalArgumentException("out of range");
              }
              return d;
            })
        .orElse(defaultValue);
  }

  void problem(String key, String value, String allowed) {
    String shown = HIDDEN_VALUES.contains(key) ? "(value hidden)" : "\"" + value + "\"";
    problems.add(describe(key) + " is " + shown + "; allowed: " + allowed);
  }

  void problem(String message) {
    problems.add(message);
  }

  void throwIfAnyProblem() {
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }
}

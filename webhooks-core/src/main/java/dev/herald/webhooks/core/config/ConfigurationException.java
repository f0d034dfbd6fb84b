package dev.herald.webhooks.core.config;

import java.util.List;

/** One or more configuration values are invalid; the message names every key and what it allows. */
public class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigurationException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per invalid key. */
  public List<String> problems() {
    return problems;
  }
}

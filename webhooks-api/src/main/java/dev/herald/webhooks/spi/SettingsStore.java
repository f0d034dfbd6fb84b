package dev.herald.webhooks.spi;

import java.util.Optional;

/**
 * Operator settings that must change at run time on every process at once, such as the migration
 * phase. Thread-safe.
 */
public interface SettingsStore {

  Optional<String> get(String key);

  void put(String key, String value);

  void remove(String key);

  /** Every setting whose key starts with {@code prefix}, by key. */
  java.util.Map<String, String> byPrefix(String prefix);
}

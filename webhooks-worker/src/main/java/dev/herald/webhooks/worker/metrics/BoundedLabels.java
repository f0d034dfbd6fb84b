package dev.herald.webhooks.worker.metrics;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Keeps the values of one metric label to a bounded set: a value that is not {@code allowed}
 * becomes {@code unknown}, and once {@code max} distinct values were seen, any new one becomes
 * {@code other}. Every distinct label value is a time series kept forever by the registry and by
 * Prometheus, so a label fed from data (custom event types, error types of third-party transports)
 * must not grow without end. Thread-safe.
 */
final class BoundedLabels {
  static final String UNKNOWN = "unknown";
  static final String OTHER = "other";

  private final int max;
  private final Predicate<String> allowed;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  BoundedLabels(int max, Predicate<String> allowed) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
    this.allowed = Objects.requireNonNull(allowed, "allowed");
  }

  /** Any non-blank value is allowed, up to {@code max} of them. */
  BoundedLabels(int max) {
    this(max, v -> true);
  }

  /** The label value to use for {@code value}. */
  String of(String value) {
    if (value == null || value.isBlank() || !allowed.test(value)) {
      return UNKNOWN;
    }
    if (seen.contains(value)) {
      return value;
    }
    synchronized (seen) {
      if (seen.size() >= max) {
        return OTHER;
      }
      seen.add(value);
      return value;
    }
  }
}

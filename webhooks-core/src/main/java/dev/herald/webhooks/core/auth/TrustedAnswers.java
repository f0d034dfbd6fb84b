package dev.herald.webhooks.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the store answered for a credential's hash (found or not), trusted for a while so that a
 * busy client costs no store query per request. Bounded: at {@link #MAX} answers the expired ones
 * are dropped, and if that is not enough, all of them. Thread-safe.
 */
final class TrustedAnswers<V> {
  static final int MAX = 10_000;

  private record Answer<V>(Optional<V> value, Instant until) {}

  private final Duration trustFor;
  private final Map<String, Answer<V>> answers = new ConcurrentHashMap<>();

  /**
   * @param trustFor how long an answer is used without asking again; zero to ask every time
   */
  TrustedAnswers(Duration trustFor) {
    this.trustFor = Objects.requireNonNull(trustFor, "trustFor");
  }

  /** The trusted answer for {@code hash}, or the store's, asked through {@code lookup}. */
  Optional<V> get(String hash, Instant now, Function<String, Optional<V>> lookup) {
    Answer<V> known = answers.get(hash);
    if (known != null && known.until().isAfter(now)) {
      return known.value();
    }
    Optional<V> found = lookup.apply(hash);
    if (!trustFor.isZero() && !trustFor.isNegative()) {
      if (answers.size() >= MAX) {
        answers.values().removeIf(a -> !a.until().isAfter(now));
        if (answers.size() >= MAX) {
          answers.clear();
        }
      }
      answers.put(hash, new Answer<>(found, now.plus(trustFor)));
    }
    return found;
  }

  /** Forgets every answer that found a value {@code which} selects: it is asked for again. */
  void forget(Predicate<V> which) {
    answers.values().removeIf(a -> a.value().map(which::test).orElse(false));
  }

  int size() {
    return answers.size();
  }
}

package dev.herald.webhooks.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionFilterTest {

  @Test
  void exactNameMatchesOnlyItself() {
    SubscriptionFilter filter = SubscriptionFilter.parse("quota.exceeded");
    assertThat(filter.matches("quota.exceeded")).isTrue();
    assertThat(filter.matches("quota.warning")).isFalse();
  }

  @Test
  void prefixWildcardMatchesTheFamilyButNotLookAlikes() {
    SubscriptionFilter filter = SubscriptionFilter.parse("memory.*");
    assertThat(filter.matches("memory.created")).isTrue();
    assertThat(filter.matches("memory.archive.restored")).isTrue();
    assertThat(filter.matches("memory")).isFalse();
    assertThat(filter.matches("memoryx.created")).isFalse();
  }

  @Test
  void starMatchesEverything() {
    assertThat(SubscriptionFilter.parse("*").matches("model.registered")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "memory.",
        "*.created",
        "memory.*.x",
        "Memory.created",
        "memory .created",
        "**"
      })
  void rejectsMalformedFilters(String text) {
    assertThatThrownBy(() -> SubscriptionFilter.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not valid");
  }

  @Test
  void anyMatchesIgnoresInvalidFilters() {
    assertThat(SubscriptionFilter.anyMatches(List.of("bad filter", "user.*"), "user.created"))
        .isTrue();
    assertThat(SubscriptionFilter.anyMatches(List.of("bad filter"), "user.created")).isFalse();
  }
}

package dev.herald.webhooks.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");

  @Test
  void parsesDelaySeconds() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void parsesHttpDateRelativeToNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW))
        .contains(Duration.ofSeconds(60));
  }

  @Test
  void pastRetryAfterDateMeansNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:26:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void negativeSecondsMeanNow() {
    assertThat(RetryAfter.parse("-5", NOW)).contains(Duration.ZERO);
  }

  @Test
  void hugeSecondsSaturate() {
    assertThat(RetryAfter.parse("99999999999999999999999", NOW))
        .contains(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {"", "  ", "soon", "1.5", "120s", "2015-10-21T07:28:00Z", "Wed, 32 Oct 2015"})
  void garbageIsEmpty(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isEmpty();
  }
}

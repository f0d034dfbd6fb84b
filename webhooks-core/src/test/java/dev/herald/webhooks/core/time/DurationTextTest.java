package dev.herald.webhooks.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void bareNumberIsSeconds() {
    assertThat(DurationText.parse("30")).contains(Duration.ofSeconds(30));
  }

  @Test
  void unitsAndIsoForms() {
    assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(DurationText.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(DurationText.parse("2H")).contains(Duration.ofHours(2));
    assertThat(DurationText.parse("1d")).contains(Duration.ofDays(1));
    assertThat(DurationText.parse("PT1.5S")).contains(Duration.ofMillis(1500));
  }

  @Test
  void garbageIsEmpty() {
    assertThat(DurationText.parse("soon")).isEmpty();
    assertThat(DurationText.parse("-5s")).isEmpty();
    assertThat(DurationText.parse("99999999999999999999s")).isEmpty();
    assertThat(DurationText.parse(null)).isEmpty();
  }
}

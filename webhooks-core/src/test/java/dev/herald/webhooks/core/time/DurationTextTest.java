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

  @Test
  void formatsInTheLargestWholeUnitAndReadsBack() {
    assertThat(DurationText.format(Duration.ofDays(2))).isEqualTo("2d");
    assertThat(DurationText.format(Duration.ofHours(25))).isEqualTo("25h");
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(DurationText.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
    for (Duration d : java.util.List.of(Duration.ofMillis(250), Duration.ofMinutes(7))) {
      assertThat(DurationText.parse(DurationText.format(d))).contains(d);
    }
  }
}

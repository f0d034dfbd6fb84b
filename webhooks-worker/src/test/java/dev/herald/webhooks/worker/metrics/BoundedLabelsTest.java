package dev.herald.webhooks.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BoundedLabelsTest {

  @Test
  void keepsValuesUpToTheLimitThenFoldsNewOnesIntoOther() {
    BoundedLabels labels = new BoundedLabels(2);
    assertThat(labels.of("a")).isEqualTo("a");
    assertThat(labels.of("b")).isEqualTo("b");
    assertThat(labels.of("c")).isEqualTo(BoundedLabels.OTHER);
    assertThat(labels.of("a")).as("a value seen before the limit stays").isEqualTo("a");
  }

  @Test
  void valuesThatAreNotAllowedAreUnknownAndTakeNoPlace() {
    BoundedLabels labels = new BoundedLabels(1, Set.of("memory.created")::contains);
    assertThat(labels.of("made.up")).isEqualTo(BoundedLabels.UNKNOWN);
    assertThat(labels.of("memory.created")).isEqualTo("memory.created");
  }

  @Test
  void nullAndBlankAreUnknown() {
    BoundedLabels labels = new BoundedLabels(5);
    assertThat(labels.of(null)).isEqualTo(BoundedLabels.UNKNOWN);
    assertThat(labels.of(" ")).isEqualTo(BoundedLabels.UNKNOWN);
  }

  @Test
  void limitBelowOneIsRejected() {
    assertThatThrownBy(() -> new BoundedLabels(0)).isInstanceOf(IllegalArgumentException.class);
  }
}

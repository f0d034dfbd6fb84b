package dev.herald.webhooks.core.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void eventIdsArePrefixedCrockfordUlids() {
    String id = Ids.system().next(Ids.EVENT);
    assertThat(id).matches("evt_[0-9A-HJKMNP-TV-Z]{26}");
  }

  @Test
  void idsSortByCreationTime() {
    Ids earlier = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    Ids later = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC));
    assertThat(earlier.next("x_")).isLessThan(later.next("x_"));
  }

  @Test
  void timePartEncodesMilliseconds() {
    assertThat(Ids.ulid(0)).startsWith("0000000000");
    assertThat(Ids.ulid(1)).startsWith("0000000001");
    assertThat(Ids.ulid(32)).startsWith("0000000010");
  }

  @Test
  void idsAreUnique() {
    Ids ids = new Ids(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(ids.next(Ids.DELIVERY))).isTrue();
    }
  }
}

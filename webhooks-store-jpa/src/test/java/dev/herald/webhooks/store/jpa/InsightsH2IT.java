package dev.herald.webhooks.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.Priority;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.ids.Ids;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.Insights;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.spi.PreparedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin UI's read-only views on embedded H2; each test uses tenants of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsightsH2IT {
  private static final Duration LEASE = Duration.ofSeconds(30);
  // Whole minutes are added to it, so an attempt never falls on a minute's edge.
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:10Z"));
  private final Ids ids = Ids.system();
  private Path directory;
  private JpaStore store;

  @BeforeAll
  void open() throws Exception {
    directory = Files.createTempDirectory("herald-insights-");
    store = JpaStores.open(StoreConfig.embedded(directory, 5, Optional.empty()), clock);
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private PublishResult publish(String tenant, String type, String endpointId) {
    return store.publish(
        new PreparedEvent(
            new Event(
                ids.next(Ids.EVENT),
                type,
                clock.instant(),
                tenant,
                "k-" + ids.next(""),
                1,
                null,
                0,
                Map.of("user_id", "u"),
                Map.of()),
            Priority.NORMAL,
            List.of(new DeliveryTarget("http", endpointId)),
            Duration.ofHours(24)),
        e -> e.id().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends the tenant's due deliveries once: the first {@code successes} succeed, the rest die. */
  private void sendAll(String tenant, int successes, long millis) {
    List<ClaimedDelivery> all = store.claim("w", 100, LEASE);
    List<ClaimedDelivery> claimed = all.stream().filter(d -> d.tenantId().equals(tenant)).toList();
    store.release(
        "w",
        all.stream()
            .filter(d -> !d.tenantId().equals(tenant))
            .map(ClaimedDelivery::deliveryId)
            .toList());
    List<DeliveryResult> results = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      boolean ok = i < successes;
      results.add(
          new DeliveryResult(
              claimed.get(i).deliveryId(),
              new AttemptRecord(
                  1,
                  clock.instant(),
                  Duration.ofMillis(millis * (i + 1)),
                  ok ? 200 : 500,
                  "",
                  ok ? null : "http_500",
                  ok ? null : "HTTP 500"),
              ok ? new DeliveryResult.Succeeded() : new DeliveryResult.Dead("gave up")));
    }
    store.record("w", results);
  }

  @Test
  void attemptsAreCountedPerMinuteByOutcomeWithPercentiles() {
    Endpoint endpoint =
        store.create(NewEndpoint.http("minutes", "https://example.com/m", List.of("*"), "whsec_x"));
    Instant from = clock.instant();
    for (int i = 0; i < 4; i++) {
      publish("minutes", "user.created", endpoint.id());
    }
    sendAll("minutes", 3, 10);
    clock.advance(Duration.ofMinutes(2));
    publish("minutes", "user.created", endpoint.id());
    sendAll("minutes", 1, 7);
    publish("other", "user.created", endpoint.id());
    sendAll("other", 0, 1);

    List<Insights.Minute> minutes =
        store.attemptsPerMinute("minutes", endpoint.id(), from, clock.instant().plusSeconds(1));

    assertThat(minutes).hasSize(2);
    assertThat(minutes.get(0))
        .isEqualTo(new Insights.Minute(from.truncatedTo(ChronoUnit.MINUTES), 3, 1, 20, 40, 40));
    assertThat(minutes.get(1))
        .isEqualTo(
            new Insights.Minute(
                from.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2)), 1, 0, 7, 7, 7));
    assertThat(store.attemptsPerMinute("minutes", null, from, clock.instant().plusSeconds(1)))
        .isEqualTo(minutes);
    assertThat(store.attemptsPerMinute("minutes", "wh_none", from, clock.instant())).isEmpty();
  }

  @Test
  void historyFiltersByStatusEventTypeAndTime() {
    Endpoint endpoint =
        store.create(NewEndpoint.http("filters", "https://example.com/f", List.of("*"), "whsec_x"));
    PublishResult early = publish("filters", "user.created", endpoint.id());
    clock.advance(Duration.ofMinutes(5));
    Instant middle = clock.instant();
    PublishResult user = publish("filters", "user.created", endpoint.id());
    PublishResult memory = publish("filters", "memory.created", endpoint.id());
    sendAll("filters", 0, 1);

    assertThat(eventIds(new Insights.DeliveryFilter(null, "user.created", null, null)))
        .containsExactlyInAnyOrder(early.eventId(), user.eventId());
    assertThat(eventIds(new Insights.DeliveryFilter(null, null, middle, null)))
        .containsExactlyInAnyOrder(user.eventId(), memory.eventId());
    assertThat(eventIds(new Insights.DeliveryFilter(null, null, null, middle)))
        .containsExactly(early.eventId());
    assertThat(
            eventIds(
                new Insights.DeliveryFilter(DeliveryStatus.DEAD, "memory.created", middle, null)))
        .containsExactly(memory.eventId());
    assertThat(
            store.deliveries("other", endpoint.id(), Insights.DeliveryFilter.ALL, null, 10).items())
        .isEmpty();
  }

  private List<String> eventIds(Insights.DeliveryFilter filter) {
    String endpointId = store.list("filters", null, 1).items().get(0).id();
    Page<DeliveryView> page = store.deliveries("filters", endpointId, filter, null, 10);
    return page.items().stream().map(DeliveryView::eventId).toList();
  }

  @Test
  void tenantsAreListedWithTheirCountsAndUnhealthyCircuitsAcrossTenants() {
    store.createTenant("sum-a", "Sum A");
    store.createTenant("sum-b", "Sum B");
    Endpoint a = store.create(NewEndpoint.http("sum-a", "https://a.example/", List.of("*"), "s"));
    Endpoint b = store.create(NewEndpoint.http("sum-b", "https://b.example/", List.of("*"), "s"));
    publish("sum-a", "user.created", a.id());
    publish("sum-a", "user.created", a.id());
    store.update(a.id(), s -> new CircuitState(CircuitState.Status.OPEN, 5, clock.instant()));
    store.update(b.id(), s -> CircuitState.INITIAL);

    assertThat(store.tenants())
        .filteredOn(t -> t.id().startsWith("sum-"))
        .containsExactly(
            new Insights.TenantSummary("sum-a", "Sum A", clock.instant(), 1, 2, 0),
            new Insights.TenantSummary("sum-b", "Sum B", clock.instant(), 1, 0, 0));
    assertThat(store.unhealthyCircuits(null))
        .extracting(Insights.CircuitView::endpointId)
        .contains(a.id())
        .doesNotContain(b.id());
    assertThat(store.unhealthyCircuits("sum-a"))
        .containsExactly(
            new Insights.CircuitView(
                "sum-a",
                a.id(),
                "https://a.example/",
                true,
                new CircuitState(CircuitState.Status.OPEN, 5, clock.instant())));
    assertThat(store.unhealthyCircuits("sum-b")).isEmpty();
  }
}

package dev.herald.webhooks.benchmarks;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.json.EnvelopeJson;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.routing.Router;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.SigningSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Envelope serialization of a catalog event, and a routing decision over 20 endpoints. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializationBenchmark {
  private Event event;
  private List<Endpoint> endpoints;

  private NewEvent memoryCreated;
  private List<Endpoint> filteredEndpoints;

  @Setup
  public void setUp() {
    memoryCreated =
        NewEvent.of(
            "acme",
            CatalogEventTypes.MEMORY_CREATED,
            Map.of("memory_id", "m-1", "user_id", "u-1", "importance", 0.9));
    String example =
        CatalogEventTypes.all().stream()
            .filter(t -> t.name().equals(CatalogEventTypes.MEMORY_CREATED))
            .findFirst()
            .orElseThrow()
            .example();
    event =
        new Event(
            "evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S",
            CatalogEventTypes.MEMORY_CREATED,
            Instant.parse("2026-11-23T21:15:03.123Z"),
            "acme",
            "7f1c0a52",
            1,
            "memory/123",
            42,
            JsonReader.readObject(example),
            Map.of());
    endpoints = new ArrayList<>();
    String[] filters = {"memory.*", "quota.exceeded", "session.*", "*", "sync.failed"};
    for (int i = 0; i < 20; i++) {
      endpoints.add(
          new Endpoint(
              "wh_" + i,
              "acme",
              "https://example.com/" + i,
              "http",
              List.of(filters[i % filters.length]),
              SignatureProfile.STANDARD,
              null,
              List.of(new SigningSecret("whsec_x", null)),
              Map.of(),
              null,
              10,
              null,
              true,
              null,
              null,
              null,
              null,
              Instant.EPOCH,
              null,
              Ordering.NONE,
              null,
              EndpointFormat.HERALD,
              false));
    }
    filteredEndpoints = new ArrayList<>();
    for (Endpoint e : endpoints) {
      boolean memory = e.eventTypes().contains("memory.*");
      filteredEndpoints.add(
          new Endpoint(
              e.id(),
              e.tenantId(),
              e.url(),
              e.transport(),
              e.eventTypes(),
              e.signatureProfile(),
              e.headerPrefix(),
              e.secrets(),
              e.customHeaders(),
              e.retryDelays(),
              e.maxInFlight(),
              e.rateLimitPerSecond(),
              e.active(),
              e.disabledReason(),
              e.failingSince(),
              e.description(),
              e.lastSuccessAt(),
              e.createdAt(),
              memory ? "data.importance >= 0.8 && type.startsWith(\"memory.\")" : null,
              Ordering.NONE,
              null,
              EndpointFormat.HERALD,
              false));
    }
  }

  @Benchmark
  public byte[] serializeStandard() {
    return EnvelopeJson.encode(event, SignatureProfile.STANDARD);
  }

  @Benchmark
  public byte[] serializeLegacyPythonForm() {
    return EnvelopeJson.encode(event, SignatureProfile.LEGACY_HEX);
  }

  @Benchmark
  public List<DeliveryTarget> routeOver20Endpoints() {
    return Router.route(MigrationPhase.DUAL, memoryCreated, endpoints);
  }

  /** The same 20 endpoints, 4 of which (the memory.* ones) also have a CEL payload filter. */
  @Benchmark
  public List<DeliveryTarget> routeOver20EndpointsWith4PayloadFilters() {
    return Router.route(MigrationPhase.DUAL, memoryCreated, filteredEndpoints);
  }
}

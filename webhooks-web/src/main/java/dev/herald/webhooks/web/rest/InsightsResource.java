package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.spi.Insights;
import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only views for the admin UI's charts and overviews: a tenant's attempts per minute and
 * unhealthy circuits; for operators, the backlog and circuits across tenants.
 */
@Path("v1/insights")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class InsightsResource {
  private static final Duration MAX_WINDOW = Duration.ofHours(24);

  @Inject JpaStore store;
  @Context SecurityContext security;

  /**
   * One minute of attempts; {@code latency_ms} holds that minute's percentiles, as the endpoint
   * statistics do.
   */
  public record MinuteJson(
      Instant start, long succeeded, long failed, Map<String, Long> latencyMs) {
    static MinuteJson of(Insights.Minute m) {
      Map<String, Long> latency = new LinkedHashMap<>();
      latency.put("p50", m.p50Millis());
      latency.put("p95", m.p95Millis());
      latency.put("p99", m.p99Millis());
      return new MinuteJson(m.start(), m.succeeded(), m.failed(), latency);
    }
  }

  /** Attempts per minute over a window, oldest first, minutes without attempts left out. */
  public record Timeline(String window, Instant from, Instant to, List<MinuteJson> items) {}

  /** A circuit that is open, half-open or counting failures. */
  public record CircuitJson(
      String tenantId,
      String endpointId,
      String url,
      boolean active,
      String status,
      int consecutiveFailures,
      Instant openedAt) {
    static CircuitJson of(Insights.CircuitView c) {
      return new CircuitJson(
          c.tenantId(),
          c.endpointId(),
          c.url(),
          c.active(),
          c.state().status().name().toLowerCase(java.util.Locale.ROOT),
          c.state().consecutiveFailures(),
          c.state().openedAt());
    }
  }

  /** A list of circuits. */
  public record Circuits(List<CircuitJson> items) {}

  /** Deliveries waiting, by priority. */
  public record QueueDepth(long high, long normal, long low) {}

  /** The operator's overview across tenants. */
  public record Overview(
      QueueDepth queueDepth,
      long waiting,
      long deadLetters,
      long tenants,
      long openCircuits,
      List<CircuitJson> circuits) {}

  @GET
  @Path("timeline")
  public Timeline timeline(
      @QueryParam("endpoint_id") String endpointId,
      @DefaultValue("1h") @QueryParam("window") String window) {
    String tenant = Caller.of(security).requireTenant();
    if (endpointId != null && store.find(tenant, endpointId).isEmpty()) {
      throw Problem.notFound("webhook " + endpointId);
    }
    Duration length = QueryParams.window("window", window, MAX_WINDOW, "1h or 24h");
    Instant to = Instant.now();
    Instant from = to.minus(length);
    return new Timeline(
        window,
        from,
        to,
        store.attemptsPerMinute(tenant, endpointId, from, to).stream()
            .map(MinuteJson::of)
            .toList());
  }

  /** A tenant's unhealthy circuits; for the operator, every tenant's. */
  @GET
  @Path("circuits")
  public Circuits circuits() {
    Caller caller = Caller.of(security);
    return new Circuits(
        store.unhealthyCircuits(caller.tenantId()).stream().map(CircuitJson::of).toList());
  }

  @GET
  @Path("overview")
  public Overview overview() {
    Caller.of(security).requireOperator();
    List<Long> depth = store.queueDepthByPriority();
    List<Insights.TenantSummary> tenants = store.tenants();
    List<CircuitJson> circuits =
        store.unhealthyCircuits(null).stream().map(CircuitJson::of).toList();
    return new Overview(
        new QueueDepth(depth.get(0), depth.get(1), depth.get(2)),
        depth.stream().mapToLong(Long::longValue).sum(),
        tenants.stream().mapToLong(Insights.TenantSummary::dead).sum(),
        tenants.size(),
        circuits.stream().filter(c -> !"closed".equals(c.status())).count(),
        circuits);
  }
}

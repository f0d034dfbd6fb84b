package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.spi.MigrationReport;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operator routes for the migration: the phase in force (global and per tenant), changed at run
 * time for every process, and the parity report that says whether moving on is safe.
 */
@Path("v1/admin/migration")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {
  @Inject HeraldRuntime runtime;
  @Inject JpaStore store;
  @Context SecurityContext security;

  /** {@code PUT} body: the phase, for everyone or for one tenant. */
  public record PhaseChange(String phase, String tenantId) {}

  /** The phases in force. */
  public record PhaseView(
      String phase, String source, String configured, Map<String, String> tenantOverrides) {}

  /** The parity report. */
  public record Report(
      Instant from,
      Instant to,
      long events,
      long bothSucceeded,
      long webhookOnly,
      long redisOnly,
      long neither,
      List<MigrationReport.EventParity> mismatches) {}

  @GET
  public PhaseView get() {
    Caller.of(security).requireOperator();
    return view();
  }

  @PUT
  public PhaseView put(PhaseChange body) {
    Caller.of(security).requireOperator();
    if (body == null || body.phase() == null) {
      throw invalid("phase is required; allowed: " + MigrationPhase.allowedNames());
    }
    MigrationPhase phase;
    try {
      phase = MigrationPhase.fromWireName(body.phase());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (body.tenantId() == null) {
      phases().setGlobal(phase);
    } else {
      if (store.findTenant(body.tenantId()).isEmpty()) {
        throw Problem.notFound("tenant " + body.tenantId());
      }
      phases().setTenant(body.tenantId(), phase);
    }
    return view();
  }

  /** Back to the configured phase ({@code HERALD_MIGRATION_PHASE}). */
  @DELETE
  public PhaseView reset() {
    Caller.of(security).requireOperator();
    phases().resetGlobal();
    return view();
  }

  /** Removes a tenant's override: it follows the global phase again. */
  @DELETE
  @Path("tenants/{id}")
  public PhaseView resetTenant(@PathParam("id") String tenantId) {
    Caller.of(security).requireOperator();
    phases().setTenant(tenantId, null);
    return view();
  }

  @GET
  @Path("report")
  public Report report(
      @DefaultValue("24h") @QueryParam("since") String since,
      @QueryParam("tenant_id") String tenantId,
      @DefaultValue("50") @QueryParam("limit") int limit) {
    Caller.of(security).requireOperator();
    Duration window =
        DurationText.parse(since)
            .filter(d -> !d.isZero())
            .orElseThrow(() -> Problem.badRequest("since takes a duration such as 1h, 24h or 7d"));
    Instant to = Instant.now();
    MigrationReport r =
        store.migrationReport(tenantId, to.minus(window), to, DeliveriesResource.pageSize(limit));
    return new Report(
        r.from(),
        r.to(),
        r.events(),
        r.bothSucceeded(),
        r.webhookOnly(),
        r.redisOnly(),
        r.neither(),
        r.mismatches());
  }

  private PhaseView view() {
    PhaseSelection selection = phases().get();
    Map<String, String> overrides = new TreeMap<>();
    selection.tenantOverrides().forEach((tenant, phase) -> overrides.put(tenant, phase.wireName()));
    boolean stored = store.get(MigrationPhases.GLOBAL_KEY).isPresent();
    return new PhaseView(
        selection.global().wireName(),
        stored ? "operator" : "configuration",
        phases().configured().wireName(),
        overrides);
  }

  private MigrationPhases phases() {
    return runtime
        .phases()
        .orElseThrow(() -> new IllegalStateException(runtime.notRunningReason()));
  }

  private static Problem.Failure invalid(String detail) {
    return new Problem.Failure(
        Problem.of(422, "invalid-phase", "Invalid migration phase", detail).withField("phase"));
  }
}

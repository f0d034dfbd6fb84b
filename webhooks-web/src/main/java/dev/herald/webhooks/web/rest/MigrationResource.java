package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.migration.MigrationPhases;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.spi.MigrationReport;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldConfiguration;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  private static final Duration MAX_REPORT_WINDOW = Duration.ofDays(90);

  @Inject HeraldRuntime runtime;
  @Inject HeraldConfiguration configuration;
  @Inject JpaStore store;
  @Context SecurityContext security;

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

  /**
   * Body {@code {"phase": "dual"}} for everyone, with {@code "tenant_id"} for one tenant. The phase
   * is one of the wire names exactly; a phase that sends to Redis needs {@code REDIS_URL}.
   */
  @PUT
  public PhaseView put(JsonBody body) {
    Caller.of(security).requireOperator();
    if (body == null) {
      throw invalid("phase is required; allowed: " + MigrationPhase.allowedNames());
    }
    body.allowOnly(Set.of("phase", "tenant_id"));
    String name =
        body.text("phase", 32)
            .orElseThrow(
                () -> invalid("phase is required; allowed: " + MigrationPhase.allowedNames()));
    MigrationPhase phase =
        Arrays.stream(MigrationPhase.values())
            .filter(p -> p.wireName().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    invalid(
                        "unknown migration phase '"
                            + name
                            + "'; allowed: "
                            + MigrationPhase.allowedNames()));
    if (phase.needsRedis() && settings().redisUrl().isEmpty()) {
      throw new Problem.Failure(
          Problem.of(
                  422,
                  "redis-not-configured",
                  "Redis is not configured",
                  "phase "
                      + name
                      + " sends events to Redis, but this server has no REDIS_URL; set it on"
                      + " every server and worker first")
              .withField("phase"));
    }
    Optional<String> tenantId = body.text("tenant_id", 64);
    if (tenantId.isEmpty()) {
      phases().setGlobal(phase);
    } else {
      if (store.findTenant(tenantId.get()).isEmpty()) {
        throw Problem.notFound("tenant " + tenantId.get());
      }
      phases().setTenant(tenantId.get(), phase);
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
      @QueryParam("limit") String limit) {
    Caller.of(security).requireOperator();
    Duration window = QueryParams.window("since", since, MAX_REPORT_WINDOW, "1h, 24h or 7d");
    Instant to = Instant.now();
    MigrationReport r =
        store.migrationReport(
            QueryParams.orNull(tenantId), to.minus(window), to, QueryParams.limit(limit));
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

  private HeraldSettings settings() {
    return configuration
        .settings()
        .orElseThrow(() -> new IllegalStateException("Herald's configuration is invalid"));
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

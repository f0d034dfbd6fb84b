package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.auth.ApiKeys;
import dev.herald.webhooks.core.export.TenantNdjson;
import dev.herald.webhooks.core.validation.EventValidator;
import dev.herald.webhooks.spi.ApiKeyStore.ApiKeyInfo;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Operator routes: tenants and their API keys. A tenant key is shown once, when issued. */
@Path("v1/tenants")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TenantsResource {
  static final String NDJSON = "application/x-ndjson";

  @Inject JpaStore store;
  @Inject HeraldRuntime runtime;
  @Context SecurityContext security;

  /** A created tenant with its first key. */
  public record CreatedTenant(String id, String name, String apiKey) {}

  /** A key as listed: never the key itself. */
  public record KeyView(String id, String description, Instant createdAt, Instant lastUsedAt) {
    static KeyView of(ApiKeyInfo info) {
      return new KeyView(info.id(), info.description(), info.createdAt(), info.lastUsedAt());
    }
  }

  /** A key as issued: shown once. */
  public record IssuedKey(String id, String description, Instant createdAt, String apiKey) {}

  /** A list of keys. */
  public record Keys(List<KeyView> items) {}

  /** A tenant as listed, with its endpoints and deliveries waiting or dead. */
  public record TenantView(
      String id, String name, Instant createdAt, long endpoints, long waiting, long dead) {}

  /** Every tenant. */
  public record TenantList(List<TenantView> items) {}

  @GET
  public TenantList list() {
    Caller.of(security).requireOperator();
    return new TenantList(
        store.tenants().stream()
            .map(
                t ->
                    new TenantView(
                        t.id(), t.name(), t.createdAt(), t.endpoints(), t.waiting(), t.dead()))
            .toList());
  }

  /** Body {@code {"id", "name"}}; the name defaults to the id. */
  @POST
  public Response create(JsonBody body) {
    Caller.of(security).requireOperator();
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object with id and name");
    }
    body.allowOnly(Set.of("id", "name"));
    String id = body.text("id", 64).orElse(null);
    if (id == null || !EventValidator.TENANT_ID.matcher(id).matches()) {
      throw new Problem.Failure(
          Problem.of(
                  422,
                  "invalid-tenant",
                  "Invalid tenant",
                  "id must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit")
              .withField("id"));
    }
    String name = body.text("name", 200).filter(n -> !n.isBlank()).map(String::strip).orElse(id);
    if (store.findTenant(id).isPresent()) {
      throw new Problem.Failure(
          Problem.of(409, "tenant-exists", "Tenant exists", "tenant " + id + " exists already")
              .withField("id"));
    }
    try {
      store.createTenant(id, name);
    } catch (IllegalStateException e) {
      // Created meanwhile by another request, or deleted and still being erased.
      throw new Problem.Failure(
          Problem.of(409, "tenant-exists", "Tenant exists", e.getMessage()).withField("id"));
    }
    ApiKeys.Issued key = keys().issue(id, "first key");
    return Response.status(201).entity(new CreatedTenant(id, name, key.key())).build();
  }

  /** A tenant whose deletion was accepted. */
  public record DeletedTenant(String id, String status) {}

  /**
   * Deletes the tenant: from this answer on it is not found and its keys fail; its rows are erased
   * in batches in the background (and by the next housekeeping run, should this process stop).
   */
  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") String tenantId) {
    Caller.of(security).requireOperator();
    if (!store.deleteTenant(tenantId)) {
      throw Problem.notFound("tenant " + tenantId);
    }
    runtime.apiKeys().ifPresent(keys -> keys.forgetTenant(tenantId));
    runtime.portalLinks().ifPresent(links -> links.forgetTenant(tenantId));
    runtime.housekeeping().ifPresent(h -> h.eraseSoon(tenantId));
    return Response.accepted(new DeletedTenant(tenantId, "deleting")).build();
  }

  /** Every row of the tenant, one JSON object a line, streamed. */
  @GET
  @Path("{id}/export")
  @Produces({NDJSON, MediaType.APPLICATION_JSON})
  public Response export(@PathParam("id") String tenantId) {
    Caller.of(security).requireOperator();
    requireTenant(tenantId);
    StreamingOutput body = out -> store.exportTenant(tenantId, new TenantNdjson(out));
    return Response.ok(body, NDJSON)
        .header("Content-Disposition", "attachment; filename=\"" + tenantId + ".ndjson\"")
        .build();
  }

  @POST
  @Path("{id}/api-keys")
  public Response issueKey(@PathParam("id") String tenantId, JsonBody body) {
    Caller.of(security).requireOperator();
    String description =
        body == null
            ? null
            : body.allowOnly(Set.of("description")).text("description", 200).orElse(null);
    requireTenant(tenantId);
    ApiKeys.Issued key = keys().issue(tenantId, description);
    ApiKeyInfo info = key.info();
    return Response.status(201)
        .entity(new IssuedKey(info.id(), info.description(), info.createdAt(), key.key()))
        .build();
  }

  @GET
  @Path("{id}/api-keys")
  public Keys listKeys(@PathParam("id") String tenantId) {
    Caller.of(security).requireOperator();
    requireTenant(tenantId);
    return new Keys(store.keysOf(tenantId).stream().map(KeyView::of).toList());
  }

  @DELETE
  @Path("{id}/api-keys/{keyId}")
  public Response revokeKey(@PathParam("id") String tenantId, @PathParam("keyId") String keyId) {
    Caller.of(security).requireOperator();
    if (!keys().revoke(tenantId, keyId)) {
      throw Problem.notFound("key " + keyId + " of tenant " + tenantId);
    }
    return Response.noContent().build();
  }

  private void requireTenant(String tenantId) {
    if (store.findTenant(tenantId).isEmpty()) {
      throw Problem.notFound("tenant " + tenantId);
    }
  }

  private ApiKeys keys() {
    return runtime
        .apiKeys()
        .orElseThrow(() -> new IllegalStateException(runtime.notRunningReason()));
  }
}

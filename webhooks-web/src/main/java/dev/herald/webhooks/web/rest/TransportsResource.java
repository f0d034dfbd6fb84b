package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/**
 * {@code GET /api/v1/transports}: the transports an endpoint may name in its {@code transport}
 * field here, {@code http} and those of the provider jars installed in the server.
 */
@Path("v1/transports")
@RequestScoped
public class TransportsResource {
  @Inject HeraldRuntime runtime;
  @Context SecurityContext security;

  /** One transport. */
  public record TransportView(String name) {}

  /** Every transport endpoints may choose, by name. */
  public record TransportList(List<TransportView> items) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public TransportList list() {
    Caller.of(security).requireTenant();
    return new TransportList(
        runtime.endpointTransports().stream().map(TransportView::new).toList());
  }
}

package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.InvalidEventException;
import dev.herald.webhooks.spi.InvalidCursorException;
import dev.herald.webhooks.spi.StoreUnavailableException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/**
 * Turns every failure into a problem body, so clients never get an HTML error page or a stack
 * trace: one mapper for every throwable, which looks through the causes a container may have
 * wrapped around Herald's own failures.
 */
@Provider
public class ProblemMappers implements ExceptionMapper<Throwable> {
  private static final System.Logger LOG = System.getLogger(ProblemMappers.class.getName());

  /** Seconds a client waits before trying again while the database is unreachable. */
  static final int RETRY_AFTER_SECONDS = 5;

  @Override
  public Response toResponse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Response response = known(t);
      if (response != null) {
        return response;
      }
    }
    if (failure instanceof WebApplicationException e) {
      return containerProblem(e);
    }
    if (failure.getClass() == IllegalStateException.class) {
      // What HeraldRuntime throws while its configuration is invalid or its store did not open.
      return Problem.of(503, "not-running", "Herald is not running", failure.getMessage())
          .toResponse();
    }
    LOG.log(Level.ERROR, "unexpected failure in the REST API", failure);
    return Problem.of(500, "internal-error", "Internal error", "the server failed; see its log")
        .toResponse();
  }

  private static Response known(Throwable t) {
    if (t instanceof Problem.Failure f) {
      return f.problem().toResponse();
    }
    if (t instanceof InvalidEventException e) {
      return invalidEvent(e);
    }
    if (t instanceof InvalidCursorException e) {
      return Problem.of(400, "invalid-cursor", "Invalid cursor", e.getMessage())
          .withField("cursor")
          .toResponse();
    }
    if (t instanceof StoreUnavailableException) {
      // The store logged that the database is away, once; no stack trace per request.
      return Response.fromResponse(
              Problem.of(
                      503,
                      "store-unavailable",
                      "Database unavailable",
                      "Herald's database cannot be reached; nothing was changed. Try again in a"
                          + " few seconds.")
                  .toResponse())
          .header("Retry-After", RETRY_AFTER_SECONDS)
          .build();
    }
    return null;
  }

  /** A refused event: unknown type, schema violation with the field, too large, bad envelope. */
  private static Response invalidEvent(InvalidEventException e) {
    Problem problem =
        switch (e.reason()) {
          case TOO_LARGE -> Problem.of(413, "payload-too-large", "Event too large", e.getMessage());
          case UNKNOWN_TYPE ->
              Problem.of(422, "unknown-event-type", "Unknown event type", e.getMessage());
          case SCHEMA_VIOLATION ->
              Problem.of(
                  422,
                  "schema-violation",
                  "Data does not match the event type's schema",
                  e.getMessage());
          case INVALID_ENVELOPE ->
              Problem.of(422, "invalid-envelope", "Invalid event field", e.getMessage());
        };
    return problem.withField(e.field()).toResponse();
  }

  /** What JAX-RS itself refuses: unknown route, wrong method, unsupported media type. */
  private static Response containerProblem(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (e instanceof NotFoundException && e.getCause() != null) {
      // A parameter that could not be converted: the request is wrong, the route exists.
      return Problem.of(400, "invalid-parameter", "Invalid parameter", e.getMessage()).toResponse();
    }
    Response.Status known = Response.Status.fromStatusCode(status);
    Response.ResponseBuilder answer =
        Response.fromResponse(
            Problem.of(
                    status,
                    "http-" + status,
                    known == null ? "Error" : known.getReasonPhrase(),
                    e.getMessage())
                .toResponse());
    // Keep what the container said beside the status, such as Allow for a 405.
    e.getResponse()
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Type")
                  && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> answer.header(name, value));
              }
            });
    return answer.build();
  }
}

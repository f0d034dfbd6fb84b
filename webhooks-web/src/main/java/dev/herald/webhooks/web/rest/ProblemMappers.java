package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.InvalidEventException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/** Turns every failure into a problem body, so clients never get an HTML error page. */
public final class ProblemMappers {
  private ProblemMappers() {}

  /** Problems thrown on purpose by resources. */
  @Provider
  public static class Failures implements ExceptionMapper<Problem.Failure> {
    @Override
    public Response toResponse(Problem.Failure failure) {
      return failure.problem().toResponse();
    }
  }

  /** A refused event: unknown type, schema violation with the field, too large, bad envelope. */
  @Provider
  public static class InvalidEvents implements ExceptionMapper<InvalidEventException> {
    @Override
    public Response toResponse(InvalidEventException e) {
      Problem problem =
          switch (e.reason()) {
            case TOO_LARGE ->
                Problem.of(413, "payload-too-large", "Event too large", e.getMessage());
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
  }

  /** Malformed JSON, or JSON of the wrong shape. */
  @Provider
  public static class MalformedJson implements ExceptionMapper<JsonbException> {
    @Override
    public Response toResponse(JsonbException e) {
      return Problem.of(
              400,
              "malformed-json",
              "Malformed JSON",
              "the request body is not valid JSON of the expected shape: " + e.getMessage())
          .toResponse();
    }
  }

  /** What JAX-RS itself refuses (unknown route, wrong method, unreadable body), as problems too. */
  @Provider
  public static class JaxRs implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse().getStatus();
      Throwable cause = e.getCause();
      if (status == 400 && cause instanceof JsonbException) {
        return new MalformedJson().toResponse((JsonbException) cause);
      }
      return Problem.of(
              status,
              "http-" + status,
              Response.Status.fromStatusCode(status) == null
                  ? "Error"
                  : Response.Status.fromStatusCode(status).getReasonPhrase(),
              e.getMessage())
          .toResponse();
    }
  }

  /** Anything else is our fault: 500, logged, without internals in the answer. */
  @Provider
  public static class Unexpected implements ExceptionMapper<RuntimeException> {
    private static final System.Logger LOG = System.getLogger(Unexpected.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
      if (e instanceof IllegalStateException) {
        return Problem.of(503, "not-running", "Herald is not running", e.getMessage()).toResponse();
      }
      LOG.log(Level.ERROR, "unexpected failure in the REST API", e);
      return Problem.of(500, "internal-error", "Internal error", "the server failed; see its log")
          .toResponse();
    }
  }
}

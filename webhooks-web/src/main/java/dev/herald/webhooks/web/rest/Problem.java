package dev.herald.webhooks.web.rest;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem: every error of the API is one, as {@code application/problem+json}.
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary of the kind
 * @param status the HTTP status
 * @param detail what exactly went wrong, for people
 * @param field the JSON path of the offending field, or null
 */
public record Problem(String type, String title, int status, String detail, String field) {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPES = "https://herald.dev/problems/";

  public static Problem of(int status, String kind, String title, String detail) {
    return new Problem(TYPES + kind, title, status, detail, null);
  }

  public Problem withField(String field) {
    return new Problem(type, title, status, detail, field);
  }

  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this).build();
  }

  /** Thrown by resources to answer with a problem. */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    public Failure(Problem problem) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  public static Failure notFound(String what) {
    return new Failure(of(404, "not-found", "Not found", what + " does not exist"));
  }

  public static Failure badRequest(String detail) {
    return new Failure(of(400, "bad-request", "Bad request", detail));
  }

  public static Failure forbidden(String detail) {
    return new Failure(of(403, "forbidden", "Forbidden", detail));
  }
}

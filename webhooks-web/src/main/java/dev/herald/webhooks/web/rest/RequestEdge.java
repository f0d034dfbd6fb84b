package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.validation.TextRules;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * The first check of every API request, before routing and authentication: the {@code Content-Type}
 * and {@code Accept} headers parse, and every path segment and query parameter is short Unicode
 * text without control characters. Refusals are 400 problems naming what is wrong.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestEdge implements ContainerRequestFilter {
  static final int MAX_SEGMENT = 256;
  static final int MAX_PARAMETER = 2048;

  @Override
  public void filter(ContainerRequestContext request) {
    try {
      request.getMediaType();
    } catch (IllegalArgumentException e) {
      refuse(
          request,
          "Content-Type",
          "the Content-Type header is not one media type: send application/json");
      return;
    }
    try {
      request.getAcceptableMediaTypes();
    } catch (IllegalArgumentException e) {
      refuse(request, "Accept", "the Accept header is not a list of media types");
      return;
    }
    try {
      for (PathSegment segment : request.getUriInfo().getPathSegments(true)) {
        TextRules.check("a path segment", segment.getPath(), MAX_SEGMENT, false);
      }
      for (Map.Entry<String, List<String>> parameter :
          request.getUriInfo().getQueryParameters(true).entrySet()) {
        TextRules.check("a query parameter name", parameter.getKey(), MAX_SEGMENT, false);
        for (String value : parameter.getValue()) {
          TextRules.check(parameter.getKey(), value, MAX_PARAMETER, false);
        }
      }
    } catch (IllegalArgumentException e) {
      // Also what the URI decoder throws for a malformed escape.
      refuse(request, null, e.getMessage());
    }
  }

  private static void refuse(ContainerRequestContext request, String field, String detail) {
    Problem problem = Problem.of(400, "bad-request", "Bad request", detail);
    request.abortWith((field == null ? problem : problem.withField(field)).toResponse());
  }
}

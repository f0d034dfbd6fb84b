package dev.herald.webhooks.web.errors;

import dev.herald.webhooks.core.json.JsonWriter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error page of the web application (web.xml): the errors that the container produces before
 * the REST API sees the request, answered as {@code application/problem+json} with the status the
 * container chose. The container's own message is not echoed: it may repeat the refused input.
 */
@WebServlet("/problem")
public class ContainerErrorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 && i <= 599 ? i : 404;
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://herald.dev/problems/http-" + status);
    problem.put("title", title(status));
    problem.put("status", status);
    problem.put("detail", detail(status));
    byte[] body = JsonWriter.writeUtf8(problem, JsonWriter.Style.COMPACT);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Body too large";
      case 415 -> "Unsupported media type";
      case 503 -> "Service unavailable";
      default -> status < 500 ? "Client error" : "Server error";
    };
  }

  private static String detail(int status) {
    return switch (status) {
      case 400 ->
          "the request is malformed: check its path (no encoded dots, slashes or control"
              + " characters), query string and headers such as Content-Type";
      case 404 -> "nothing is here; the API is under /api/v1, the admin UI under /admin/";
      default -> "the server refused the request";
    };
  }
}

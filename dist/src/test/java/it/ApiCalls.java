package it;

import dev.herald.webhooks.core.json.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls to the REST API from the tests, with the answer parsed. */
public final class ApiCalls {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ApiCalls() {}

  /** An answer: status, content type, the body as JSON (empty when there is none), the raw one. */
  public record Reply(
      int status, String contentType, Map<String, Object> json, HttpResponse<String> raw) {}

  /**
   * @param api the API's base, {@code http://host:port/context/api/v1}
   * @param key the bearer key, or null for none
   * @param body JSON, or null for none
   * @param headers more headers, as name, value, name, value...
   */
  public static Reply call(
      String api, String method, String path, String key, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Object> json =
        response.body().isBlank() ? Map.of() : JsonReader.readObject(response.body());
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        json,
        response);
  }
}

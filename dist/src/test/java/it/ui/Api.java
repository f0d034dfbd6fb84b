package it.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.json.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The REST API for setting up what a browser test starts from. */
final class Api {
  static final String OPERATOR = "it-operator-key";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String base;

  Api(URL app) {
    this.base = app + "api/v1";
  }

  Map<String, Object> call(String method, String path, String key, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
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
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isLessThan(300);
    return response.body().isBlank() ? Map.of() : JsonReader.readObject(response.body());
  }

  /** A new tenant; returns its API key. */
  String newTenant(String name) throws Exception {
    String id = "ui-" + UUID.randomUUID().toString().substring(0, 8);
    return (String)
        call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}")
            .get("api_key");
  }
}

package it.ui;

import static org.assertj.core.api.Assertions.assertThat;

import it.ApiCalls;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import java.util.UUID;

/** The REST API for setting up what a browser test starts from. */
final class Api {
  static final String OPERATOR = "it-operator-key";
  private final String base;

  Api(URL app) {
    this.base = app + "api/v1";
  }

  Map<String, Object> call(String method, String path, String key, String body)
      throws IOException, InterruptedException {
    ApiCalls.Reply reply = ApiCalls.call(base, method, path, key, body);
    assertThat(reply.status()).as(method + " " + path + ": " + reply.raw().body()).isLessThan(300);
    return reply.json();
  }

  /** The status of a call that may fail. */
  int status(String method, String path, String key) throws IOException, InterruptedException {
    return ApiCalls.call(base, method, path, key, null).status();
  }

  /** A new tenant; returns its API key. */
  String newTenant(String name) throws Exception {
    String id = "ui-" + UUID.randomUUID().toString().substring(0, 8);
    return (String)
        call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}")
            .get("api_key");
  }
}

package it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import it.ApiCalls.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API over HTTP, as clients see it: operator and tenant keys, publishing, problems. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestApiIT {
  private static String api;
  static final String OPERATOR = "it-operator-key";

  /** Points the helpers at the deployed application and waits until it answers. */
  static void useApi(URL app) {
    api = app + "api/v1";
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> call("GET", "/event-types", null, null).status() == 200);
  }

  static Reply call(String method, String path, String key, String body, String... headers)
      throws IOException, InterruptedException {
    return ApiCalls.call(api, method, path, key, body, headers);
  }

  static String newTenant() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created =
        call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\",\"name\":\"Acme " + id + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return (String) created.json().get("api_key");
  }

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  @BeforeEach
  void appIsUp() {
    useApi(app);
  }

  @Test
  void operatorCreatesATenantWhoseKeyPublishesOnceByIdempotencyKey() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created =
        call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\",\"name\":\"Acme Inc.\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json()).containsEntry("id", id).containsEntry("name", "Acme Inc.");
    String key = (String) created.json().get("api_key");
    assertThat(key).startsWith("hrk_");

    String event =
        "{\"type\":\"memory.created\",\"subject\":\"memory/1\",\"data\":{\"memory_id\":\"1\",\"user_id\":\"u-9\"}}";
    Reply first = call("POST", "/events", key, event, "Idempotency-Key", "k-1");
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json()).containsEntry("duplicate", false);
    assertThat((String) first.json().get("id")).startsWith("evt_");
    Reply again = call("POST", "/events", key, event, "Idempotency-Key", "k-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json())
        .containsEntry("duplicate", true)
        .containsEntry("id", first.json().get("id"));
  }

  @Test
  void theOperatorExportsATenantAsNdjsonThenDeletesItAndItsKeysStopAtOnce() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created = call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}");
    String key = (String) created.json().get("api_key");
    Reply webhook =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"http://127.0.0.1:9/hook\",\"event_types\":[\"user.*\"]}");
    assertThat(webhook.status()).as(webhook.raw().body()).isEqualTo(201);
    String secret = (String) webhook.json().get("secret");
    for (int i = 0; i < 3; i++) {
      Reply published =
          call(
              "POST",
              "/events",
              key,
              "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u" + i + "\"}}");
      assertThat(published.status()).isEqualTo(202);
    }

    assertThat(export(id, key).statusCode()).isEqualTo(403);
    HttpResponse<String> export = export(id, OPERATOR);
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
    List<Map<String, Object>> lines =
        export.body().lines().map(dev.herald.webhooks.core.json.JsonReader::readObject).toList();
    assertThat(lines.get(0)).containsEntry("kind", "tenant").containsEntry("id", id);
    assertThat(lines.get(1))
        .containsEntry("kind", "endpoint")
        .containsEntry("id", webhook.json().get("id"));
    assertThat(export.body()).doesNotContain(secret.substring("whsec_".length()));
    assertThat(lines).filteredOn(l -> "event".equals(l.get("kind"))).hasSize(3);
    assertThat(lines).filteredOn(l -> "delivery".equals(l.get("kind"))).hasSize(3);

    Reply deleted = call("DELETE", "/tenants/" + id, OPERATOR, null);
    assertThat(deleted.status()).isEqualTo(202);
    assertThat(deleted.json()).containsEntry("id", id).containsEntry("status", "deleting");
    assertThat(call("GET", "/webhooks", key, null).status()).as("its key, at once").isEqualTo(401);
    assertThat(call("GET", "/tenants/" + id + "/api-keys", OPERATOR, null).status()).isEqualTo(404);
    assertThat(export(id, OPERATOR).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", "/tenants/" + id, OPERATOR, null).status()).isEqualTo(404);
    assertThat(call("GET", "/tenants", OPERATOR, null).raw().body()).doesNotContain(id);
    // The id is free again once every row of the old tenant is erased, in the background.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}").status() == 201);
    assertThat(export(id, OPERATOR).body().lines().count())
        .as("a new tenant with nothing")
        .isEqualTo(1);
  }

  private static HttpResponse<String> export(String tenant, String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(api + "/tenants/" + tenant + "/export"))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void missingOrWrongKeysAreUnauthorizedProblems() throws Exception {
    Reply none = call("POST", "/events", null, "{}");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.contentType()).startsWith("application/problem+json");
    assertThat(none.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
    Reply wrong = call("POST", "/events", "hrk_not-a-real-key", "{}");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat((String) wrong.json().get("detail")).contains("not valid");
  }

  @Test
  void tenantKeysCannotManageTenantsAndTheOperatorKeyCannotPublish() throws Exception {
    String key = newTenant();
    assertThat(call("POST", "/tenants", key, "{\"id\":\"sneaky\"}").status()).isEqualTo(403);
    Reply operatorPublishes =
        call(
            "POST",
            "/events",
            OPERATOR,
            "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u\"}}");
    assertThat(operatorPublishes.status()).isEqualTo(403);
    assertThat(operatorPublishes.json()).containsEntry("status", 403L);
  }

  @Test
  void badEventsGetPreciseProblems() throws Exception {
    String key = newTenant();
    Reply malformed = call("POST", "/events", key, "{\"type\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");

    Reply unknown = call("POST", "/events", key, "{\"type\":\"memory.exploded\",\"data\":{}}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json()).containsEntry("field", "type");
    assertThat((String) unknown.json().get("type")).endsWith("/unknown-event-type");

    Reply missing =
        call(
            "POST", "/events", key, "{\"type\":\"memory.created\",\"data\":{\"memory_id\":\"1\"}}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json())
        .containsEntry("field", "data.user_id")
        .containsEntry("detail", "data.user_id is required");

    String huge = "x".repeat(300 * 1024);
    Reply tooLarge =
        call(
            "POST",
            "/events",
            key,
            "{\"type\":\"sync.failed\",\"data\":{\"sync_id\":\"s\",\"error\":\"" + huge + "\"}}");
    assertThat(tooLarge.status()).isEqualTo(413);

    Reply clash =
        call(
            "POST",
            "/events",
            key,
            "{\"type\":\"user.created\",\"idempotency_key\":\"a\",\"data\":{\"user_id\":\"u\"}}",
            "Idempotency-Key",
            "b");
    assertThat(clash.status()).isEqualTo(400);
  }

  @Test
  void tenantIdsAreValidatedAndUnique() throws Exception {
    Reply bad = call("POST", "/tenants", OPERATOR, "{\"id\":\"Not Valid\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json()).containsEntry("field", "id");
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}").status())
        .isEqualTo(201);
    assertThat(call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}").status())
        .isEqualTo(409);
  }

  @Test
  void keysAreListedWithoutSecretsAndRevokedAtOnce() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    String firstKey =
        (String)
            call("POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}").json().get("api_key");
    Reply second =
        call("POST", "/tenants/" + id + "/api-keys", OPERATOR, "{\"description\":\"ci\"}");
    assertThat(second.status()).isEqualTo(201);
    String secondKey = (String) second.json().get("api_key");

    Reply listed = call("GET", "/tenants/" + id + "/api-keys", OPERATOR, null);
    assertThat(listed.raw().body())
        .doesNotContain(firstKey.substring(4))
        .doesNotContain(secondKey.substring(4));
    @SuppressWarnings("unchecked")
    java.util.List<Map<String, Object>> items =
        (java.util.List<Map<String, Object>>) listed.json().get("items");
    assertThat(items).hasSize(2);

    String publish = "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u\"}}";
    assertThat(call("POST", "/events", secondKey, publish).status()).isEqualTo(202);
    String secondId = (String) second.json().get("id");
    assertThat(call("DELETE", "/tenants/" + id + "/api-keys/" + secondId, OPERATOR, null).status())
        .isEqualTo(204);
    assertThat(call("POST", "/events", secondKey, publish).status()).isEqualTo(401);
    // Other content: the same content again would be a duplicate of the first publish (200).
    assertThat(
            call(
                    "POST",
                    "/events",
                    firstKey,
                    "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u2\"}}")
                .status())
        .isEqualTo(202);
    assertThat(call("GET", "/tenants/nobody/api-keys", OPERATOR, null).status()).isEqualTo(404);
  }

  @Test
  void operatorChangesTheMigrationPhaseAtRunTimeAndReadsTheReport() throws Exception {
    try {
      Reply initial = call("GET", "/admin/migration", OPERATOR, null);
      assertThat(initial.status()).isEqualTo(200);
      assertThat(initial.json())
          .containsEntry("phase", "webhook-only")
          .containsEntry("source", "configuration");

      Reply dual = call("PUT", "/admin/migration", OPERATOR, "{\"phase\":\"dual\"}");
      assertThat(dual.status()).isEqualTo(200);
      assertThat(dual.json()).containsEntry("phase", "dual").containsEntry("source", "operator");

      String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
      call("POST", "/tenants", OPERATOR, "{\"id\":\"" + tenant + "\"}");
      Reply override =
          call(
              "PUT",
              "/admin/migration",
              OPERATOR,
              "{\"phase\":\"redis-only\",\"tenant_id\":\"" + tenant + "\"}");
      assertThat(override.json().get("tenant_overrides")).isEqualTo(Map.of(tenant, "redis-only"));
      assertThat(
              call("DELETE", "/admin/migration/tenants/" + tenant, OPERATOR, null)
                  .json()
                  .get("tenant_overrides"))
          .isEqualTo(Map.of());

      Reply bad = call("PUT", "/admin/migration", OPERATOR, "{\"phase\":\"both\"}");
      assertThat(bad.status()).isEqualTo(422);
      assertThat(bad.json()).containsEntry("field", "phase");
      assertThat((String) bad.json().get("detail"))
          .contains("redis-only, dual, webhook-primary, webhook-only");

      String tenantKey = newTenant();
      assertThat(call("PUT", "/admin/migration", tenantKey, "{\"phase\":\"redis-only\"}").status())
          .isEqualTo(403);
      assertThat(call("GET", "/admin/migration/report", tenantKey, null).status()).isEqualTo(403);

      Reply report = call("GET", "/admin/migration/report?since=1h", OPERATOR, null);
      assertThat(report.status()).isEqualTo(200);
      assertThat(report.json())
          .containsKeys(
              "events", "both_succeeded", "webhook_only", "redis_only", "neither", "mismatches");
    } finally {
      Reply reset = call("DELETE", "/admin/migration", OPERATOR, null);
      assertThat(reset.json())
          .containsEntry("phase", "webhook-only")
          .containsEntry("source", "configuration");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBatchIsStoredWholeWithOneResultPerEventOrRefusedNamingTheEvent() throws Exception {
    String key = newTenant();
    String batch =
        "{\"events\":["
            + "{\"type\":\"user.created\",\"idempotency_key\":\"b-1\",\"data\":{\"user_id\":\"u-1\"}},"
            + "{\"type\":\"user.created\",\"idempotency_key\":\"b-2\",\"data\":{\"user_id\":\"u-2\"}},"
            + "{\"type\":\"user.created\",\"idempotency_key\":\"b-1\",\"data\":{\"user_id\":\"u-1\"}}]}";
    Reply stored = call("POST", "/events/batch", key, batch);
    assertThat(stored.status()).as(stored.raw().body()).isEqualTo(202);
    List<Map<String, Object>> items = (List<Map<String, Object>>) stored.json().get("items");
    assertThat(items).hasSize(3);
    assertThat(items.get(0)).containsEntry("duplicate", false);
    assertThat(items.get(1)).containsEntry("duplicate", false);
    assertThat(items.get(2))
        .containsEntry("duplicate", true)
        .containsEntry("id", items.get(0).get("id"));
    assertThat(call("GET", "/events/" + items.get(1).get("id"), key, null).status()).isEqualTo(200);
    assertThat(call("POST", "/events/batch", key, batch).status())
        .as("every event a repeat")
        .isEqualTo(200);

    Reply refused =
        call(
            "POST",
            "/events/batch",
            key,
            "{\"events\":["
                + "{\"type\":\"user.created\",\"idempotency_key\":\"c-1\",\"data\":{\"user_id\":\"u-1\"}},"
                + "{\"type\":\"user.created\",\"idempotency_key\":\"c-2\",\"data\":{}}]}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json())
        .containsEntry("type", "https://herald.dev/problems/schema-violation")
        .containsEntry("field", "events[1].data.user_id");
    Reply notStored =
        call(
            "POST",
            "/events",
            key,
            "{\"type\":\"user.created\",\"idempotency_key\":\"c-1\",\"data\":{\"user_id\":\"u-1\"}}");
    assertThat(notStored.status()).as("the refused batch stored nothing").isEqualTo(202);

    Reply untyped = call("POST", "/events/batch", key, "{\"events\":[{\"data\":{}}]}");
    assertThat(untyped.status()).isEqualTo(422);
    assertThat(untyped.json()).containsEntry("field", "events[0].type");
    StringBuilder tooMany = new StringBuilder("{\"events\":[");
    for (int i = 0; i <= 1000; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"type\":\"user.created\",\"data\":{}}");
    }
    Reply oversized = call("POST", "/events/batch", key, tooMany.append("]}").toString());
    assertThat(oversized.status()).isEqualTo(422);
    assertThat((String) oversized.json().get("detail")).contains("at most 1000");
  }
}

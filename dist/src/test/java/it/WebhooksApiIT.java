package it;

import static it.RestApiIT.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhook endpoints over REST, end to end to a receiver on loopback, as a new user does it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebhooksApiIT {
  record Received(Map<String, List<String>> headers, byte[] body) {}

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  private HttpServer receiver;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private volatile int answer = 204;
  private volatile Map<String, String> optionsAnswer = Map.of();
  private final ConcurrentLinkedQueue<Map<String, List<String>>> optionsRequests =
      new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws Exception {
    RestApiIT.useApi(app);
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          headers.putAll(exchange.getRequestHeaders());
          if (exchange.getRequestMethod().equals("OPTIONS")) {
            optionsRequests.add(headers);
            optionsAnswer.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
          }
          received.add(new Received(headers, body));
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private String receiverUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private static String newTenantKey() throws Exception {
    return RestApiIT.newTenant();
  }

  private Map<String, Object> createWebhook(String key, String filters) throws Exception {
    ApiCalls.Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"" + receiverUrl() + "\",\"event_types\":" + filters + "}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json();
  }

  @Test
  void aCloudEventsFormatIsCheckedShownAndRefusedForABatchedBinaryEndpoint() throws Exception {
    String key = newTenantKey();
    String url = "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"*\"]";
    ApiCalls.Reply unknown = call("POST", "/webhooks", key, url + ",\"format\":\"xml\"}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json()).containsEntry("field", "format");
    ApiCalls.Reply batchedBinary =
        call(
            "POST",
            "/webhooks",
            key,
            url
                + ",\"format\":\"cloudevents-binary\","
                + "\"batch\":{\"max_events\":10,\"max_wait_ms\":100}}");
    assertThat(batchedBinary.status()).isEqualTo(422);
    assertThat(batchedBinary.json()).containsEntry("field", "format");
    assertThat((String) batchedBinary.json().get("detail")).contains("cloudevents-structured");
    ApiCalls.Reply customCe =
        call("POST", "/webhooks", key, url + ",\"custom_headers\":{\"ce-source\":\"/elsewhere\"}}");
    assertThat(customCe.status()).isEqualTo(422);
    assertThat((String) customCe.json().get("detail")).contains("CloudEvents");

    ApiCalls.Reply plain = call("POST", "/webhooks", key, url + "}");
    assertThat(plain.json()).containsEntry("format", "herald");
    ApiCalls.Reply binary =
        call("POST", "/webhooks", key, url + ",\"format\":\"cloudevents-binary\"}");
    assertThat(binary.status()).as(binary.raw().body()).isEqualTo(201);
    assertThat(binary.json()).containsEntry("format", "cloudevents-binary");
    String id = (String) binary.json().get("id");
    ApiCalls.Reply nowBatched =
        call(
            "PATCH", "/webhooks/" + id, key, "{\"batch\":{\"max_events\":10,\"max_wait_ms\":100}}");
    assertThat(nowBatched.status()).as("binary, then batched").isEqualTo(422);
    ApiCalls.Reply structured =
        call(
            "PATCH",
            "/webhooks/" + id,
            key,
            "{\"format\":\"cloudevents-structured\","
                + "\"batch\":{\"max_events\":10,\"max_wait_ms\":100}}");
    assertThat(structured.status()).as(structured.raw().body()).isEqualTo(200);
    assertThat(structured.json()).containsEntry("format", "cloudevents-structured");
  }

  @Test
  void aHandshakeEndpointWaitsUntilItsReceiverAllowsHeraldThenTakesItsRate() throws Exception {
    String key = newTenantKey();
    ApiCalls.Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"*\"],\"handshake\":true}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.json())
        .containsEntry("handshake", true)
        .containsEntry("state", "pending_validation")
        .containsEntry("active", false);
    assertThat((String) created.json().get("disabled_reason"))
        .startsWith("pending_validation: ")
        .contains("WebHook-Allowed-Origin is missing");
    assertThat(optionsRequests).hasSize(1);
    assertThat(optionsRequests.peek().get("WebHook-Request-Origin")).containsExactly("herald");
    String id = (String) created.json().get("id");

    String waiting =
        (String)
            call(
                    "POST",
                    "/events",
                    key,
                    "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-1\"}}")
                .json()
                .get("id");
    assertThat(call("GET", "/events/" + waiting, key, null).json().get("deliveries"))
        .as("nothing is routed to an endpoint waiting for its handshake")
        .isEqualTo(List.of());
    ApiCalls.Reply enable = call("PATCH", "/webhooks/" + id, key, "{\"active\":true}");
    assertThat(enable.status()).isEqualTo(409);
    assertThat(enable.json()).containsEntry("field", "active");

    optionsAnswer = Map.of("WebHook-Allowed-Origin", "herald", "WebHook-Allowed-Rate", "120");
    ApiCalls.Reply validated = call("POST", "/webhooks/" + id + "/validate", key, null);
    assertThat(validated.status()).as(validated.raw().body()).isEqualTo(200);
    assertThat(validated.json())
        .containsEntry("state", "active")
        .containsEntry("active", true)
        .containsEntry("rate_limit_per_second", new java.math.BigDecimal("2.0"));
    call("POST", "/events", key, "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-2\"}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    assertThat(call("POST", "/webhooks/" + id + "/validate", key, null).status())
        .as("validated already")
        .isEqualTo(409);
  }

  @Test
  void anEd25519EndpointShowsItsPublicKeyNeverAPrivateOneAndRotatesIt() throws Exception {
    String key = newTenantKey();
    String url = "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"*\"]";
    for (String wrong :
        List.of(
            ",\"signature_algorithm\":\"rsa\"}",
            ",\"signature_algorithm\":\"ed25519\",\"secret\":\"whsec_"
                + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}",
            ",\"signature_algorithm\":\"ed25519\",\"signature_profile\":\"legacy-hex\","
                + "\"header_prefix\":\"Acme\"}")) {
      ApiCalls.Reply refused = call("POST", "/webhooks", key, url + wrong);
      assertThat(refused.status()).as(wrong).isEqualTo(422);
      assertThat(refused.json()).containsEntry("field", "signature_algorithm");
    }
    ApiCalls.Reply created =
        call("POST", "/webhooks", key, url + ",\"signature_algorithm\":\"ed25519\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.json())
        .containsEntry("signature_algorithm", "ed25519")
        .doesNotContainKey("secret");
    String publicKey = (String) created.json().get("public_key");
    assertThat(publicKey).matches("whpk_[A-Za-z0-9+/]{43}=");
    assertThat(created.raw().body()).doesNotContain("whsk_");
    String id = (String) created.json().get("id");
    ApiCalls.Reply read = call("GET", "/webhooks/" + id, key, null);
    assertThat(read.json()).containsEntry("public_key", publicKey).doesNotContainKey("secret");
    ApiCalls.Reply rotated = call("POST", "/webhooks/" + id + "/rotate-secret", key, null);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json())
        .doesNotContainKey("secret")
        .containsKey("previous_secret_expires_at");
    assertThat((String) rotated.json().get("public_key"))
        .startsWith("whpk_")
        .isNotEqualTo(publicKey);
    assertThat(call("GET", "/webhooks/" + id, key, null).json())
        .containsEntry("public_key", rotated.json().get("public_key"));
    assertThat(call("POST", "/webhooks", key, url + "}").json())
        .containsEntry("signature_algorithm", "hmac-sha256")
        .doesNotContainKey("public_key");
  }

  @Test
  void orderingAndBatchingAreCheckedShownAndRemovable() throws Exception {
    String key = newTenantKey();
    for (String wrong :
        List.of(
            "\"ordering\":\"fifo\"",
            "\"batch\":{\"max_events\":0,\"max_wait_ms\":100}",
            "\"batch\":{\"max_events\":1001,\"max_wait_ms\":100}",
            "\"batch\":{\"max_events\":10,\"max_wait_ms\":60001}",
            "\"batch\":{\"max_events\":10}",
            "\"batch\":{\"max_events\":10,\"max_wait_ms\":5,\"size\":1}")) {
      ApiCalls.Reply refused =
          call(
              "POST",
              "/webhooks",
              key,
              "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"*\"]," + wrong + "}");
      assertThat(refused.status()).as(wrong + ": " + refused.raw().body()).isEqualTo(422);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat((String) refused.json().get("field"))
          .as(wrong)
          .matches("ordering|batch\\.(max_events|max_wait_ms|size)");
    }
    ApiCalls.Reply plain =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"*\"]}");
    assertThat(plain.json()).containsEntry("ordering", "none").doesNotContainKey("batch");

    ApiCalls.Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\""
                + receiverUrl()
                + "\",\"event_types\":[\"*\"],\"ordering\":\"subject\","
                + "\"batch\":{\"max_events\":50,\"max_wait_ms\":2000}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.json())
        .containsEntry("ordering", "subject")
        .containsEntry("batch", Map.of("max_events", 50L, "max_wait_ms", 2000L));
    String id = (String) created.json().get("id");
    ApiCalls.Reply changed =
        call("PATCH", "/webhooks/" + id, key, "{\"batch\":{\"max_events\":5,\"max_wait_ms\":0}}");
    assertThat(changed.json())
        .containsEntry("ordering", "subject")
        .containsEntry("batch", Map.of("max_events", 5L, "max_wait_ms", 0L));
    ApiCalls.Reply removed =
        call("PATCH", "/webhooks/" + id, key, "{\"batch\":null,\"ordering\":null}");
    assertThat(removed.json()).containsEntry("ordering", "none").doesNotContainKey("batch");
  }

  @Test
  void aPayloadFilterIsCheckedAtSaveTestedAgainstAnExampleAndRemovable() throws Exception {
    String key = newTenantKey();
    ApiCalls.Reply broken =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\""
                + receiverUrl()
                + "\",\"event_types\":[\"*\"],\"filter\":\"data.importance >= \"}");
    assertThat(broken.status()).isEqualTo(422);
    assertThat(broken.contentType()).startsWith("application/problem+json");
    assertThat(broken.json()).containsEntry("field", "filter");
    assertThat((String) broken.json().get("detail")).contains("at 1:");
    ApiCalls.Reply unknown =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\""
                + receiverUrl()
                + "\",\"event_types\":[\"*\"],\"filter\":\"importance > 1\"}");
    assertThat((String) unknown.json().get("detail"))
        .contains("undeclared reference to 'importance'");

    String filter = "data.importance >= 0.8 && type.startsWith(\\\"memory.\\\")";
    ApiCalls.Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\""
                + receiverUrl()
                + "\",\"event_types\":[\"*\"],\"filter\":\""
                + filter
                + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.json())
        .containsEntry("filter", "data.importance >= 0.8 && type.startsWith(\"memory.\")");

    ApiCalls.Reply matches =
        call(
            "POST",
            "/filters/test",
            key,
            "{\"filter\":\""
                + filter
                + "\",\"event\":{\"type\":\"memory.created\","
                + "\"data\":{\"importance\":0.9}}}");
    assertThat(matches.status()).as(matches.raw().body()).isEqualTo(200);
    assertThat(matches.json()).containsEntry("matches", true);
    ApiCalls.Reply misses =
        call(
            "POST",
            "/filters/test",
            key,
            "{\"filter\":\""
                + filter
                + "\",\"event\":{\"type\":\"memory.created\","
                + "\"data\":{\"importance\":0.1}}}");
    assertThat(misses.json()).containsEntry("matches", false);

    String id = (String) created.json().get("id");
    ApiCalls.Reply removed = call("PATCH", "/webhooks/" + id, key, "{\"filter\":null}");
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json()).doesNotContainKey("filter");
  }

  @Test
  void disablingAndEnablingAnEndpointTellTheTenantsOtherSubscribedEndpoint() throws Exception {
    String key = newTenantKey();
    createWebhook(key, "[\"herald.endpoint.*\"]");
    String other = (String) createWebhook(key, "[\"memory.*\"]").get("id");

    assertThat(call("PATCH", "/webhooks/" + other, key, "{\"active\":false}").status())
        .isEqualTo(200);
    assertThat(call("PATCH", "/webhooks/" + other, key, "{\"active\":true}").status())
        .isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bodies().stream().filter(b -> b.contains("herald.endpoint.")).count() >= 2);
    List<String> notices = bodies().stream().filter(b -> b.contains("herald.endpoint.")).toList();
    assertThat(notices)
        .anySatisfy(
            b ->
                assertThat(b)
                    .contains("\"type\":\"herald.endpoint.disabled\"")
                    .contains("\"endpoint_id\":\"" + other + "\"")
                    .contains("\"reason\":\"disabled by the tenant\""))
        .anySatisfy(
            b ->
                assertThat(b)
                    .contains("\"type\":\"herald.endpoint.enabled\"")
                    .contains("\"reason\":\"enabled by the tenant\""));
    ApiCalls.Reply forged =
        call(
            "POST",
            "/events",
            key,
            "{\"type\":\"herald.endpoint.disabled\",\"data\":{\"endpoint_id\":\"x\",\"url\":\"\","
                + "\"reason\":\"forged\",\"at\":\"now\"}}");
    assertThat(forged.status()).isEqualTo(422);
  }

  private List<String> bodies() {
    return received.stream()
        .map(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void aTenantRegistersAnEndpointAndReceivesSignedEvents() throws Exception {
    String key = newTenantKey();
    Map<String, Object> webhook = createWebhook(key, "[\"memory.*\"]");
    String secret = (String) webhook.get("secret");
    assertThat(secret).startsWith("whsec_");
    assertThat(webhook)
        .containsEntry("active", true)
        .containsEntry("signature_profile", "standard");

    ApiCalls.Reply published =
        call(
            "POST",
            "/events",
            key,
            "{\"type\":\"memory.created\",\"data\":{\"memory_id\":\"m-1\",\"user_id\":\"u-1\"}}");
    assertThat(published.status()).isEqualTo(202);
    call(
        "POST",
        "/events",
        key,
        "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-1\"}}"); // not subscribed

    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    Received request = received.peek();
    VerifiedWebhook verified =
        WebhookVerifier.builder().secret(secret).build().verify(request.headers(), request.body());
    assertThat(verified.id()).isEqualTo(published.json().get("id"));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> received.size() == 1);
  }

  @Test
  void theSecretIsShownOnceThenMasked() throws Exception {
    String key = newTenantKey();
    Map<String, Object> webhook = createWebhook(key, "[\"*\"]");
    String secret = (String) webhook.get("secret");
    ApiCalls.Reply fetched = call("GET", "/webhooks/" + webhook.get("id"), key, null);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat((String) fetched.json().get("secret")).endsWith("****").isNotEqualTo(secret);
    ApiCalls.Reply listed = call("GET", "/webhooks", key, null);
    assertThat(listed.raw().body()).contains((String) webhook.get("id")).doesNotContain(secret);
  }

  @Test
  void refusedUrlsAndFiltersAreProblemsNamingTheField() throws Exception {
    String key = newTenantKey();
    ApiCalls.Reply privateUrl =
        call(
            "POST", "/webhooks", key, "{\"url\":\"http://10.0.0.1/hook\",\"event_types\":[\"*\"]}");
    assertThat(privateUrl.status()).isEqualTo(422);
    assertThat(privateUrl.json()).containsEntry("field", "url");
    assertThat((String) privateUrl.json().get("detail")).contains("10.0.0.0/8");

    ApiCalls.Reply decimal =
        call("POST", "/webhooks", key, "{\"url\":\"http://2130706433/\",\"event_types\":[\"*\"]}");
    assertThat(decimal.status()).isEqualTo(422);

    ApiCalls.Reply filter =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"memory.*\",\"memory.\"]}");
    assertThat(filter.status()).isEqualTo(422);
    assertThat(filter.json()).containsEntry("field", "event_types[1]");

    ApiCalls.Reply legacy =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\""
                + receiverUrl()
                + "\",\"event_types\":[\"*\"],\"signature_profile\":\"legacy-hex\"}");
    assertThat(legacy.status()).isEqualTo(422);
    assertThat(legacy.json()).containsEntry("field", "header_prefix");
  }

  @Test
  void anotherTenantsWebhookIsNotFoundOnEveryRoute() throws Exception {
    String owner = newTenantKey();
    String other = newTenantKey();
    String id = (String) createWebhook(owner, "[\"*\"]").get("id");
    assertThat(call("GET", "/webhooks/" + id, other, null).status()).isEqualTo(404);
    assertThat(call("PATCH", "/webhooks/" + id, other, "{\"description\":\"mine now\"}").status())
        .isEqualTo(404);
    assertThat(call("POST", "/webhooks/" + id + "/rotate-secret", other, null).status())
        .isEqualTo(404);
    assertThat(call("POST", "/webhooks/" + id + "/test", other, null).status()).isEqualTo(404);
    assertThat(call("DELETE", "/webhooks/" + id, other, null).status()).isEqualTo(404);
    assertThat(call("GET", "/webhooks", other, null).raw().body()).doesNotContain(id);
    assertThat(call("GET", "/webhooks/" + id, owner, null).status()).isEqualTo(200);
  }

  @Test
  void rotationSignsWithBothSecretsDuringTheGracePeriod() throws Exception {
    String key = newTenantKey();
    Map<String, Object> webhook = createWebhook(key, "[\"user.*\"]");
    String oldSecret = (String) webhook.get("secret");
    ApiCalls.Reply rotated =
        call("POST", "/webhooks/" + webhook.get("id") + "/rotate-secret", key, null);
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = (String) rotated.json().get("secret");
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);

    call(
        "POST",
        "/events",
        key,
        "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-" + UUID.randomUUID() + "\"}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    Received request = received.peek();
    assertThat(request.headers().get("webhook-signature").get(0).split(" ")).hasSize(2);
    WebhookVerifier.builder().secret(newSecret).build().verify(request.headers(), request.body());
    WebhookVerifier.builder().secret(oldSecret).build().verify(request.headers(), request.body());
  }

  @Test
  void updatesChangeFiltersAndDisableTheEndpoint() throws Exception {
    String key = newTenantKey();
    String id = (String) createWebhook(key, "[\"memory.*\"]").get("id");
    ApiCalls.Reply patched =
        call(
            "PATCH",
            "/webhooks/" + id,
            key,
            "{\"event_types\":[\"quota.*\"],\"description\":\"quotas\",\"active\":false}");
    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    assertThat(patched.json())
        .containsEntry("event_types", List.of("quota.*"))
        .containsEntry("description", "quotas")
        .containsEntry("active", false)
        .containsEntry("disabled_reason", "disabled by the tenant");
    assertThat(call("PATCH", "/webhooks/" + id, key, "{\"active\":true}").json())
        .containsEntry("active", true);
    assertThat(call("DELETE", "/webhooks/" + id, key, null).status()).isEqualTo(204);
    assertThat(call("GET", "/webhooks/" + id, key, null).status()).isEqualTo(404);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(ApiCalls.Reply reply) {
    return (List<Map<String, Object>>) reply.json().get("items");
  }

  @Test
  void deadDeliveriesShowInHistoryWithAttemptsAndSucceedWhenRetried() throws Exception {
    String key = newTenantKey();
    String id = (String) createWebhook(key, "[\"user.*\"]").get("id");
    answer = 404;
    String eventId =
        (String)
            call(
                    "POST",
                    "/events",
                    key,
                    "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-dead\"}}")
                .json()
                .get("id");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                items(call("GET", "/webhooks/" + id + "/deliveries?status=dead", key, null)).size()
                    == 1);
    Map<String, Object> dead =
        items(call("GET", "/webhooks/" + id + "/deliveries?status=dead", key, null)).get(0);
    assertThat(dead)
        .containsEntry("event_id", eventId)
        .containsEntry("last_status_code", 404L)
        .containsEntry("attempts", 1L);
    String deliveryId = (String) dead.get("id");
    assertThat(items(call("GET", "/dead-letters", key, null)))
        .extracting(d -> d.get("id"))
        .containsExactly(deliveryId);
    List<Map<String, Object>> attempts =
        items(
            call("GET", "/webhooks/" + id + "/deliveries/" + deliveryId + "/attempts", key, null));
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0)).containsEntry("status_code", 404L).containsEntry("number", 1L);

    answer = 204;
    assertThat(call("POST", "/webhooks/" + id + "/retry/" + deliveryId, key, null).status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                items(call("GET", "/webhooks/" + id + "/deliveries?status=succeeded", key, null))
                        .size()
                    == 1);
    assertThat(call("POST", "/webhooks/" + id + "/retry/" + deliveryId, key, null).status())
        .isEqualTo(409);

    ApiCalls.Reply stats = call("GET", "/webhooks/" + id + "/stats?window=1h", key, null);
    assertThat(stats.json()).containsEntry("attempts", 2L);
    assertThat(((Number) stats.json().get("success_rate")).doubleValue()).isEqualTo(0.5);
  }

  @Test
  void deadLettersAreRedrivenInBulkAndPastEventsReplayed() throws Exception {
    String key = newTenantKey();
    String id = (String) createWebhook(key, "[\"session.*\"]").get("id");
    java.time.Instant before = java.time.Instant.now().minusSeconds(5);
    answer = 400;
    for (int i = 0; i < 2; i++) {
      call(
          "POST",
          "/events",
          key,
          "{\"type\":\"session.started\",\"data\":{\"session_id\":\"s"
              + i
              + "\",\"user_id\":\"u\"}}");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> items(call("GET", "/dead-letters", key, null)).size() == 2);

    answer = 204;
    ApiCalls.Reply redriven =
        call("POST", "/dead-letters/redrive", key, "{\"endpoint_id\":\"" + id + "\"}");
    assertThat(redriven.status()).isEqualTo(202);
    assertThat(redriven.json()).containsEntry("count", 2L);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                items(call("GET", "/webhooks/" + id + "/deliveries?status=succeeded", key, null))
                        .size()
                    == 2);

    int receivedBefore = received.size();
    ApiCalls.Reply replayed =
        call("POST", "/webhooks/" + id + "/replay", key, "{\"since\":\"" + before + "\"}");
    assertThat(replayed.status()).isEqualTo(202);
    assertThat(replayed.json()).containsEntry("count", 2L);
    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == receivedBefore + 2);
  }

  @Test
  void anotherTenantCannotReadOrActOnDeliveries() throws Exception {
    String owner = newTenantKey();
    String other = newTenantKey();
    String id = (String) createWebhook(owner, "[\"*\"]").get("id");
    assertThat(call("GET", "/webhooks/" + id + "/deliveries", other, null).status()).isEqualTo(404);
    assertThat(call("GET", "/webhooks/" + id + "/stats", other, null).status()).isEqualTo(404);
    assertThat(
            call(
                    "POST",
                    "/webhooks/" + id + "/replay",
                    other,
                    "{\"since\":\"2026-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(404);
    assertThat(call("POST", "/webhooks/" + id + "/retry/dlv_x", other, null).status())
        .isEqualTo(404);
    assertThat(
            call("POST", "/dead-letters/redrive", other, "{\"endpoint_id\":\"" + id + "\"}")
                .status())
        .isEqualTo(404);
  }

  @Test
  void aTestEventReachesOnlyThatEndpointSignedAndShowsWithItsDelivery() throws Exception {
    String key = newTenantKey();
    Map<String, Object> webhook = createWebhook(key, "[\"quota.*\"]");
    String id = (String) webhook.get("id");

    ApiCalls.Reply sent = call("POST", "/webhooks/" + id + "/test", key, null);
    assertThat(sent.status()).as(sent.raw().body()).isEqualTo(202);
    String eventId = (String) sent.json().get("event_id");
    String deliveryId = (String) sent.json().get("delivery_id");
    assertThat(eventId).startsWith("evt_");
    assertThat(deliveryId).startsWith("dlv_");

    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    Received request = received.peek();
    VerifiedWebhook verified =
        WebhookVerifier.builder()
            .secret((String) webhook.get("secret"))
            .build()
            .verify(request.headers(), request.body());
    assertThat(verified.id()).isEqualTo(eventId);
    assertThat(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"type\":\"webhook.test\"")
        .contains("\"webhook_id\":\"" + id + "\"");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ApiCalls.Reply event = call("GET", "/events/" + eventId, key, null);
              assertThat(event.status()).isEqualTo(200);
              assertThat(event.raw().body())
                  .contains("\"id\":\"" + eventId + "\"")
                  .contains("\"type\":\"webhook.test\"")
                  .contains("\"id\":\"" + deliveryId + "\"")
                  .contains("\"status\":\"succeeded\"");
            });

    String other = newTenantKey();
    assertThat(call("GET", "/events/" + eventId, other, null).status()).isEqualTo(404);
    assertThat(call("GET", "/events/evt_missing", key, null).status()).isEqualTo(404);
    ApiCalls.Reply typed = call("POST", "/events", key, "{\"type\":\"webhook.test\",\"data\":{}}");
    assertThat(typed.status()).as("producers cannot publish test events").isEqualTo(422);
  }

  @Test
  void aDisabledEndpointGetsNoTestEvent() throws Exception {
    String key = newTenantKey();
    String id = (String) createWebhook(key, "[\"*\"]").get("id");
    call("PATCH", "/webhooks/" + id, key, "{\"active\":false}");
    ApiCalls.Reply refused = call("POST", "/webhooks/" + id + "/test", key, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat((String) refused.json().get("detail")).contains("disabled");
  }

  /** POST /webhooks to the receiver, for every event type, with these custom headers. */
  private ApiCalls.Reply createWithHeaders(String key, String headersJson) throws Exception {
    return call(
        "POST",
        "/webhooks",
        key,
        "{\"url\":\""
            + receiverUrl()
            + "\",\"event_types\":[\"*\"],\"custom_headers\":"
            + headersJson
            + "}");
  }

  @Test
  void customHeadersAreCheckedWhenSavedAndSentWithEveryDelivery() throws Exception {
    String key = newTenantKey();
    ApiCalls.Reply injected = createWithHeaders(key, "{\"X-A\":\"1\\r\\nX-B: 2\"}");
    assertThat(injected.status()).isEqualTo(422);
    assertThat(injected.json()).containsEntry("field", "custom_headers.X-A");
    assertThat((String) injected.json().get("detail")).contains("X-A").contains("control");
    assertThat(createWithHeaders(key, "{\"webhook-signature\":\"x\"}").status()).isEqualTo(422);

    ApiCalls.Reply created = createWithHeaders(key, "{\"Authorization\":\"Bearer t0k\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    String id = (String) created.json().get("id");
    assertThat(
            call("PATCH", "/webhooks/" + id, key, "{\"custom_headers\":{\"Host\":\"evil\"}}")
                .status())
        .isEqualTo(422);
    call("POST", "/webhooks/" + id + "/test", key, null);
    await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
    assertThat(received.peek().headers().get("Authorization")).containsExactly("Bearer t0k");
  }

  @Test
  void anEndpointsOwnRetryPolicyAndLimitAreSetThroughTheApiAndGovernItsDeliveries()
      throws Exception {
    String key = newTenantKey();
    ApiCalls.Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\""
                + receiverUrl()
                + "\",\"event_types\":[\"memory.*\"],\"max_in_flight\":3,\"rate_limit_per_second\":25,"
                + "\"retry_policy\":{\"initial\":\"2s\",\"multiplier\":2,\"max\":\"1h\",\"attempts\":6}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.json())
        .containsEntry("max_in_flight", 3L)
        .containsEntry("rate_limit_per_second", new java.math.BigDecimal("25.0"))
        .containsEntry("retry_policy", Map.of("delays", List.of("2s", "4s", "8s", "16s", "32s")));
    String id = (String) created.json().get("id");

    ApiCalls.Reply refused =
        call("PATCH", "/webhooks/" + id, key, "{\"retry_policy\":{\"delays\":[\"1s\",\"-5s\"]}}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json()).containsEntry("field", "retry_policy.delays[1]");

    // One retry after 300 ms, then dead: the endpoint's schedule, not the server's six attempts.
    ApiCalls.Reply patched =
        call("PATCH", "/webhooks/" + id, key, "{\"retry_policy\":{\"delays\":[\"300ms\"]}}");
    assertThat(patched.json()).containsEntry("retry_policy", Map.of("delays", List.of("300ms")));
    answer = 503;
    assertThat(
            call(
                    "POST",
                    "/events",
                    key,
                    "{\"type\":\"memory.deleted\",\"data\":{\"memory_id\":\"m\",\"user_id\":\"u\"}}")
                .status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                items(call("GET", "/webhooks/" + id + "/deliveries?status=dead", key, null)).size()
                    == 1);
    Map<String, Object> dead =
        items(call("GET", "/webhooks/" + id + "/deliveries?status=dead", key, null)).get(0);
    assertThat(dead).containsEntry("attempts", 2L);

    // The attempts of a delivery are found under its own endpoint only.
    String other = (String) createWebhook(key, "[\"quota.*\"]").get("id");
    assertThat(
            call(
                    "GET",
                    "/webhooks/" + other + "/deliveries/" + dead.get("id") + "/attempts",
                    key,
                    null)
                .status())
        .isEqualTo(404);
    assertThat(
            items(
                call(
                    "GET",
                    "/webhooks/" + id + "/deliveries/" + dead.get("id") + "/attempts",
                    key,
                    null)))
        .hasSize(2);

    assertThat(call("PATCH", "/webhooks/" + id, key, "{\"rate_limit_per_second\":0}").json())
        .containsEntry("field", "rate_limit_per_second");
    ApiCalls.Reply reset =
        call(
            "PATCH",
            "/webhooks/" + id,
            key,
            "{\"retry_policy\":null,\"rate_limit_per_second\":null}");
    assertThat(reset.json())
        .doesNotContainKey("retry_policy")
        .doesNotContainKey("rate_limit_per_second")
        .containsEntry("max_in_flight", 3L);
  }
}

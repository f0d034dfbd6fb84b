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
          received.add(new Received(headers, body));
          exchange.sendResponseHeaders(204, -1);
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
    RestApiIT.Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"" + receiverUrl() + "\",\"event_types\":" + filters + "}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json();
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

    RestApiIT.Reply published =
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
    RestApiIT.Reply fetched = call("GET", "/webhooks/" + webhook.get("id"), key, null);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat((String) fetched.json().get("secret")).endsWith("****").isNotEqualTo(secret);
    RestApiIT.Reply listed = call("GET", "/webhooks", key, null);
    assertThat(listed.raw().body()).contains((String) webhook.get("id")).doesNotContain(secret);
  }

  @Test
  void refusedUrlsAndFiltersAreProblemsNamingTheField() throws Exception {
    String key = newTenantKey();
    RestApiIT.Reply privateUrl =
        call(
            "POST", "/webhooks", key, "{\"url\":\"http://10.0.0.1/hook\",\"event_types\":[\"*\"]}");
    assertThat(privateUrl.status()).isEqualTo(422);
    assertThat(privateUrl.json()).containsEntry("field", "url");
    assertThat((String) privateUrl.json().get("detail")).contains("10.0.0.0/8");

    RestApiIT.Reply decimal =
        call("POST", "/webhooks", key, "{\"url\":\"http://2130706433/\",\"event_types\":[\"*\"]}");
    assertThat(decimal.status()).isEqualTo(422);

    RestApiIT.Reply filter =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"" + receiverUrl() + "\",\"event_types\":[\"memory.*\",\"memory.\"]}");
    assertThat(filter.status()).isEqualTo(422);
    assertThat(filter.json()).containsEntry("field", "event_types[1]");

    RestApiIT.Reply legacy =
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
    assertThat(call("DELETE", "/webhooks/" + id, other, null).status()).isEqualTo(404);
    assertThat(call("GET", "/webhooks", other, null).raw().body()).doesNotContain(id);
    assertThat(call("GET", "/webhooks/" + id, owner, null).status()).isEqualTo(200);
  }

  @Test
  void rotationSignsWithBothSecretsDuringTheGracePeriod() throws Exception {
    String key = newTenantKey();
    Map<String, Object> webhook = createWebhook(key, "[\"user.*\"]");
    String oldSecret = (String) webhook.get("secret");
    RestApiIT.Reply rotated =
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
    RestApiIT.Reply patched =
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
}

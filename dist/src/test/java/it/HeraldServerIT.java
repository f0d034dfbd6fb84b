package it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerifier;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR on the test Liberty server (PostgreSQL, or embedded H2: {@link TestServerDatabase}):
 * health, the catalog, metrics, OpenAPI from the outside, and an in-process publish delivered,
 * signed, to a loopback receiver from the inside.
 */
@ExtendWith(ArquillianExtension.class)
class HeraldServerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SERVER =
      "http://localhost:" + System.getProperty("herald.it.port", "9181");

  @Deployment
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  @Inject EventPublisher publisher;
  @Inject JpaStore store;
  @Inject EventTypeRegistry eventTypes;
  @Inject jakarta.enterprise.event.Event<NewEvent> cdiEvents;

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @RunAsClient
  void readinessIsUpOnTheConfiguredDatabase() {
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              HttpResponse<String> ready = get(SERVER + "/health/ready");
              assertThat(ready.statusCode()).isEqualTo(200);
              assertThat(ready.body())
                  .contains("\"herald-store\"")
                  .contains("\"database\":\"" + TestServerDatabase.kind() + "\"")
                  .contains("\"herald-redis\"")
                  .contains("\"status\":\"UP\"")
                  .doesNotContain("DOWN");
            });
  }

  @Test
  @RunAsClient
  void livenessShowsTheWorkerRunning() throws Exception {
    HttpResponse<String> live = get(SERVER + "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("\"herald-worker\"").doesNotContain("DOWN");
  }

  @Test
  @RunAsClient
  void eventTypesListsTheElevenTypesInSnakeCase() throws Exception {
    HttpResponse<String> response = get(app + "api/v1/event-types");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items =
        (List<Map<String, Object>>) JsonReader.readObject(response.body()).get("items");
    assertThat(items).hasSize(15);
    assertThat(items)
        .extracting(item -> item.get("name"))
        .contains("memory.created", "quota.exceeded");
    assertThat(items.get(0))
        .containsKeys("name", "priority", "description", "schema_version", "data_schema", "example")
        .doesNotContainKeys("schemaVersion", "dataSchema");
  }

  @Test
  @RunAsClient
  void metricsAnswerInPrometheusFormat() throws Exception {
    HttpResponse<String> metrics = get(SERVER + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("# TYPE");
  }

  @Test
  @RunAsClient
  void openApiDescribesTheEventTypesResource() throws Exception {
    HttpResponse<String> openapi = get(SERVER + "/openapi");
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body()).contains("/v1/event-types");
  }

  @Test
  void publishedEventReachesALoopbackReceiverSigned() throws Exception {
    ConcurrentLinkedQueue<Map.Entry<Map<String, List<String>>, byte[]>> received =
        new ConcurrentLinkedQueue<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(Map.entry(new HashMap<>(exchange.getRequestHeaders()), body));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String tenant = "it-" + Long.toHexString(System.nanoTime());
      String secret = WebhookSecrets.generate();
      store.createTenant(tenant, "Arquillian");
      store.create(
          NewEndpoint.http(
              tenant,
              "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
              List.of("memory.*"),
              secret));
      Map<String, Object> data =
          JsonReader.readObject(eventTypes.find("memory.created").orElseThrow().type().example());

      PublishResult result = publisher.publish(NewEvent.of(tenant, "memory.created", data));

      assertThat(result.duplicate()).isFalse();
      await().atMost(DEADLINE).until(() -> !received.isEmpty());
      Map.Entry<Map<String, List<String>>, byte[]> request = received.peek();
      VerifiedWebhook hook =
          WebhookVerifier.builder()
              .secret(secret)
              .build()
              .verify(request.getKey(), request.getValue());
      assertThat(hook.eventType()).isEqualTo("memory.created");
      assertThat(new String(request.getValue(), java.nio.charset.StandardCharsets.UTF_8))
          .contains(result.eventId());
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aNewEventFiredAsACdiEventIsPublished() {
    String tenant = "it-" + Long.toHexString(System.nanoTime());
    store.createTenant(tenant, "Arquillian");
    NewEvent event =
        NewEvent.of(tenant, "user.created", Map.of("user_id", "u-1"))
            .withIdempotencyKey("cdi-" + tenant);

    cdiEvents.fire(event);

    PublishResult again = publisher.publish(event);
    assertThat(again.duplicate()).as("the fired event was stored").isTrue();
    assertThat(store.eventEnvelope(tenant, again.eventId())).isPresent();
    assertThatThrownBy(() -> cdiEvents.fire(NewEvent.of(tenant, "no.such.type", Map.of("x", 1))))
        .isInstanceOf(dev.herald.webhooks.api.InvalidEventException.class);
  }

  @Test
  void theInjectedPublisherStoresAListInOneCall() {
    String tenant = "it-" + Long.toHexString(System.nanoTime());
    store.createTenant(tenant, "Arquillian");
    List<NewEvent> events =
        List.of(
            NewEvent.of(tenant, "user.created", Map.of("user_id", "u-1")),
            NewEvent.of(tenant, "user.created", Map.of("user_id", "u-2")));

    List<PublishResult> results = publisher.publishAll(events);

    assertThat(results).hasSize(2).noneMatch(PublishResult::duplicate);
    assertThat(results)
        .allSatisfy(r -> assertThat(store.eventEnvelope(tenant, r.eventId())).isPresent());
    assertThat(publisher.publishAll(events)).allMatch(PublishResult::duplicate);
  }
}

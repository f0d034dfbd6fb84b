package it;

import static it.RestApiIT.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read-only routes the admin UI adds: attempts per minute, history filters, the tenant list,
 * circuits and the operator's overview.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InsightsApiIT {
  private static final String OPERATOR = "it-operator-key";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;
  private HttpServer receiver;

  @BeforeEach
  void start() throws Exception {
    RestApiIT.useApi(app);
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(ApiCalls.Reply reply) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return (List<Map<String, Object>>) reply.json().get("items");
  }

  private String webhook(String key) throws Exception {
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    ApiCalls.Reply created =
        call("POST", "/webhooks", key, "{\"url\":\"" + url + "\",\"event_types\":[\"*\"]}");
    assertThat(created.status()).isEqualTo(201);
    return (String) created.json().get("id");
  }

  private static String publish(String key, String type, String data) throws Exception {
    return (String)
        call("POST", "/events", key, "{\"type\":\"" + type + "\",\"data\":" + data + "}")
            .json()
            .get("id");
  }

  @Test
  void deliveriesAreCountedPerMinuteAndFilteredByTypeAndTime() throws Exception {
    String key = RestApiIT.newTenant();
    String id = webhook(key);
    Instant before = Instant.now().minusSeconds(1);
    String user = publish(key, "user.created", "{\"user_id\":\"u-1\"}");
    String session = publish(key, "session.started", "{\"session_id\":\"s\",\"user_id\":\"u\"}");
    String deliveries = "/webhooks/" + id + "/deliveries";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> items(call("GET", deliveries + "?status=succeeded", key, null)).size() == 2);

    List<Map<String, Object>> minutes =
        items(call("GET", "/insights/timeline?window=1h&endpoint_id=" + id, key, null));
    assertThat(minutes.stream().mapToLong(m -> (Long) m.get("succeeded")).sum()).isEqualTo(2);
    assertThat(minutes.get(0)).containsKeys("start", "failed", "latency_ms");
    assertThat(minutes.get(0).get("latency_ms"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsKeys("p50", "p95", "p99");

    assertThat(items(call("GET", deliveries + "?event_type=user.created", key, null)))
        .extracting(d -> d.get("event_id"))
        .containsExactly(user);
    String from = URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
    assertThat(items(call("GET", deliveries + "?from=" + from, key, null)))
        .extracting(d -> d.get("event_id"))
        .containsExactlyInAnyOrder(user, session);
    assertThat(items(call("GET", deliveries + "?to=" + from, key, null))).isEmpty();
    ApiCalls.Reply badTime = call("GET", deliveries + "?from=yesterday", key, null);
    assertThat(badTime.status()).isEqualTo(400);
    assertThat((String) badTime.json().get("detail")).contains("2026-11-23T00:00:00Z");
  }

  @Test
  void anotherTenantsEndpointHasNoTimeline() throws Exception {
    String id = webhook(RestApiIT.newTenant());
    ApiCalls.Reply other =
        call("GET", "/insights/timeline?endpoint_id=" + id, RestApiIT.newTenant(), null);
    assertThat(other.status()).isEqualTo(404);
    assertThat(call("GET", "/insights/timeline?window=30d", RestApiIT.newTenant(), null).status())
        .isEqualTo(400);
  }

  @Test
  void operatorsListTenantsAndSeeTheOverviewTenantsDoNot() throws Exception {
    String key = RestApiIT.newTenant();
    webhook(key);
    List<Map<String, Object>> tenants = items(call("GET", "/tenants", OPERATOR, null));
    assertThat(tenants).anySatisfy(t -> assertThat(t).containsEntry("endpoints", 1L));
    assertThat(tenants.get(0)).containsKeys("id", "name", "created_at", "waiting", "dead");

    ApiCalls.Reply overview = call("GET", "/insights/overview", OPERATOR, null);
    assertThat(overview.status()).isEqualTo(200);
    assertThat(overview.json())
        .containsKeys("queue_depth", "waiting", "dead_letters", "tenants", "open_circuits");
    assertThat(items(call("GET", "/insights/circuits", key, null))).isEmpty();

    assertThat(call("GET", "/tenants", key, null).status()).isEqualTo(403);
    assertThat(call("GET", "/insights/overview", key, null).status()).isEqualTo(403);
  }
}

package it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerifier;
import it.ApiCalls.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example RabbitMQ transport (examples/transports/rabbitmq, its own build) dropped into the
 * packaged server's extensions folder: an endpoint chooses it through the API, events reach the
 * broker signed, and while the broker is stopped deliveries are retried and arrive when it is back.
 * Uses the machine's RabbitMQ (127.0.0.1:5672, guest/guest), which bin/test starts when missing;
 * the outage stops and starts its AMQP listener with rabbitmqctl.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RabbitMqTransportIT {
  private static final String OPERATOR = "rabbitmq-operator-" + UUID.randomUUID();

  @TempDir Path extensions;

  @Test
  void anEndpointOnTheRabbitMqTransportGetsSignedEventsAndSitsOutABrokerOutage() throws Exception {
    Path jar = Path.of(System.getProperty("herald.example.transport.jar"));
    assertThat(jar).as("built by examples/transports/rabbitmq (mvn package)").isRegularFile();
    Files.copy(jar, extensions.resolve(jar.getFileName()));
    String exchange = "herald-it-" + UUID.randomUUID();
    String queue = exchange + "-queue";
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    // Durable, so that they outlive the broker's stop and start below.
    try (Connection broker = factory.newConnection("herald-it");
        Channel channel = broker.createChannel()) {
      channel.exchangeDeclare(exchange, "topic", true);
      channel.queueDeclare(queue, true, false, false, null);
      channel.queueBind(queue, exchange, "#");
    }
    try (HeraldServerProcess server =
        new HeraldServerProcess(
            Map.of(
                "HERALD_ADMIN_API_KEY",
                OPERATOR,
                "HERALD_EXTENSIONS_DIR",
                extensions.toString(),
                "HERALD_TRANSPORT_RABBITMQ_ALLOWED_HOSTS",
                "127.0.0.1",
                "HERALD_TRANSPORT_RABBITMQ_TIMEOUT_MS",
                "2000"))) {
      server.start(Duration.ofMinutes(3));
      String key = newTenant(server.api());
      Reply transports = ApiCalls.call(server.api(), "GET", "/transports", key, null);
      assertThat(transports.raw().body()).contains("\"rabbitmq\"");
      Reply refused =
          ApiCalls.call(
              server.api(),
              "POST",
              "/webhooks",
              key,
              "{\"transport\":\"rabbitmq\",\"url\":\"amqp://10.1.2.3/"
                  + exchange
                  + "\",\"event_types\":[\"*\"]}");
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.raw().body()).contains("not allowed");
      Reply webhook =
          ApiCalls.call(
              server.api(),
              "POST",
              "/webhooks",
              key,
              "{\"transport\":\"rabbitmq\",\"url\":\"amqp://127.0.0.1/"
                  + exchange
                  + "\",\"event_types\":[\"*\"],\"retry_policy\":{\"delays\":"
                  + "[\"1s\",\"1s\",\"1s\",\"1s\",\"1s\",\"2s\",\"2s\",\"2s\",\"2s\",\"2s\","
                  + "\"5s\",\"5s\",\"5s\",\"5s\",\"5s\",\"5s\",\"5s\",\"5s\",\"5s\",\"5s\"]}}");
      assertThat(webhook.status()).as(webhook.raw().body()).isEqualTo(201);
      assertThat(webhook.json()).containsEntry("transport", "rabbitmq");
      WebhookVerifier verifier =
          WebhookVerifier.builder().secret((String) webhook.json().get("secret")).build();

      String first = publish(server, key, "u-1");
      GetResponse message = nextMessage(factory, queue);
      VerifiedWebhook verified = verify(verifier, message);
      assertThat(verified.id()).isEqualTo(first);
      assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("user.created");
      assertThat(new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"user_id\":\"u-1\"");

      rabbitmqctl("stop_app");
      String second;
      try {
        second = publish(server, key, "u-2");
        await("the delivery is retried while the broker is stopped")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  Map<String, Object> delivery = delivery(server, key, second);
                  return ((Number) delivery.get("attempts")).intValue() >= 2
                      && "pending".equals(delivery.get("status"));
                });
        assertThat((String) delivery(server, key, second).get("last_error"))
            .contains("amqp_unavailable");
      } finally {
        rabbitmqctl("start_app");
      }
      GetResponse late = nextMessage(factory, queue);
      assertThat(verify(verifier, late).id()).isEqualTo(second);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "succeeded".equals(delivery(server, key, second).get("status")));
    } finally {
      try (Connection broker = factory.newConnection("herald-it-cleanup");
          Channel channel = broker.createChannel()) {
        channel.queueDelete(queue);
        channel.exchangeDelete(exchange);
      }
    }
  }

  /** The next message of the queue, read by a connection of the test's own. */
  private static GetResponse nextMessage(ConnectionFactory factory, String queue) {
    GetResponse[] got = new GetResponse[1];
    await("a message in " + queue)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              try (Connection c = factory.newConnection("herald-it-reader");
                  Channel channel = c.createChannel()) {
                got[0] = channel.basicGet(queue, true);
              }
              return got[0] != null;
            });
    return got[0];
  }

  private static VerifiedWebhook verify(WebhookVerifier verifier, GetResponse message)
      throws Exception {
    Map<String, Object> headers = new HashMap<>();
    message.getProps().getHeaders().forEach((name, value) -> headers.put(name, value.toString()));
    return verifier.verify(headers, message.getBody());
  }

  private static String publish(HeraldServerProcess server, String key, String user)
      throws Exception {
    Reply published =
        ApiCalls.call(
            server.api(),
            "POST",
            "/events",
            key,
            "{\"type\":\"user.created\",\"data\":{\"user_id\":\"" + user + "\"}}");
    assertThat(published.status()).as(published.raw().body()).isEqualTo(202);
    return (String) published.json().get("id");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> delivery(HeraldServerProcess server, String key, String event)
      throws Exception {
    Reply reply = ApiCalls.call(server.api(), "GET", "/events/" + event, key, null);
    return ((List<Map<String, Object>>) reply.json().get("deliveries")).get(0);
  }

  private static void rabbitmqctl(String command) throws Exception {
    Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("rabbitmqctl " + command + "\n" + output).isZero();
  }

  private static String newTenant(String api) throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created = ApiCalls.call(api, "POST", "/tenants", OPERATOR, "{\"id\":\"" + id + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return (String) created.json().get("api_key");
  }
}

package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.verifier.WebhookVerifier;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A worker delivers to CloudEvents endpoints (structured, binary, and a batched one) on a loopback
 * receiver; the CloudEvents Java SDK reads each request as the event published, and the Standard
 * Webhooks signature verifies over the exact body.
 */
class CloudEventsIT extends WorkerWithReceiverTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Endpoint endpoint(String path, EndpointFormat format, BatchPolicy batch) {
    return fixture.store.create(
        NewEndpoint.http(
                WorkerFixture.TENANT,
                receiver.url(path),
                List.of("memory.*"),
                WebhookSecrets.generate())
            .withBatch(batch)
            .withFormat(format));
  }

  private static Map<String, String> headers(LoopbackReceiver.Request request) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.headers().forEach((k, v) -> headers.put(k, v.get(0)));
    return headers;
  }

  private static void verify(Endpoint endpoint, LoopbackReceiver.Request request) throws Exception {
    WebhookVerifier.builder()
        .secret(endpoint.secrets().get(0).value())
        .build()
        .verify(headers(request), request.body());
  }

  @Test
  void structuredBinaryAndBatchedEndpointsGetCloudEventsTheSdkReads() throws Exception {
    Endpoint structured = endpoint("/structured", EndpointFormat.CLOUDEVENTS_STRUCTURED, null);
    Endpoint binary = endpoint("/binary", EndpointFormat.CLOUDEVENTS_BINARY, null);
    Endpoint batched =
        endpoint(
            "/batched",
            EndpointFormat.CLOUDEVENTS_STRUCTURED,
            new BatchPolicy(10, Duration.ofMillis(300)));
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          fixture
              .publisher
              .publish(
                  NewEvent.of(
                          WorkerFixture.TENANT,
                          "memory.created",
                          Map.of("memory_id", "m-" + i, "user_id", "u-1"))
                      .withSubject("memory " + i + "/é"))
              .eventId());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                receiver.requests("/structured").size() >= 3
                    && receiver.requests("/binary").size() >= 3
                    && !receiver.requests("/batched").isEmpty());

    for (LoopbackReceiver.Request request : receiver.requests("/structured")) {
      verify(structured, request);
      assertThat(headers(request).get("Content-Type")).startsWith("application/cloudevents+json");
      CloudEvent ce = HttpMessageFactory.createReader(headers(request), request.body()).toEvent();
      assertEvent(ce, ids);
    }
    for (LoopbackReceiver.Request request : receiver.requests("/binary")) {
      verify(binary, request);
      assertThat(headers(request)).containsKey("ce-id").containsEntry("ce-specversion", "1.0");
      assertThat(headers(request).get("Content-Type")).isEqualTo("application/json");
      CloudEvent ce = HttpMessageFactory.createReader(headers(request), request.body()).toEvent();
      // Header values come percent-encoded, as the binding says; the SDK leaves decoding to us.
      assertThat(ce.getSubject()).matches("memory%20[0-9]/%C3%A9");
      assertEvent(
          CloudEventBuilder.from(ce)
              .withSubject(URLDecoder.decode(ce.getSubject(), StandardCharsets.UTF_8))
              .build(),
          ids);
      assertThat(JSON.readTree(request.body()).get("memory_id").asText()).startsWith("m-");
    }
    List<String> batchedIds = new ArrayList<>();
    for (LoopbackReceiver.Request request : receiver.requests("/batched")) {
      verify(batched, request);
      assertThat(headers(request).get("Content-Type"))
          .startsWith("application/cloudevents-batch+json");
      assertThat(headers(request).get("webhook-id")).startsWith("bat_");
      JsonNode array = JSON.readTree(request.body());
      assertThat(array.isArray()).isTrue();
      for (JsonNode element : array) {
        CloudEvent ce =
            EventFormatProvider.getInstance()
                .resolveFormat(JsonFormat.CONTENT_TYPE)
                .deserialize(JSON.writeValueAsBytes(element));
        assertEvent(ce, ids);
        batchedIds.add(ce.getId());
      }
    }
    assertThat(batchedIds).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(receiver.requests("/batched")).as("three events, one request").hasSize(1);
  }

  private static void assertEvent(CloudEvent ce, List<String> ids) throws Exception {
    assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(ids).contains(ce.getId());
    int n = ids.indexOf(ce.getId());
    assertThat(ce.getSource()).isEqualTo(URI.create("/herald/" + WorkerFixture.TENANT));
    assertThat(ce.getType()).isEqualTo("memory.created");
    assertThat(ce.getSubject()).isEqualTo("memory " + n + "/é");
    assertThat(ce.getTime()).isNotNull();
    assertThat(ce.getDataContentType()).isEqualTo("application/json");
    assertThat(String.valueOf(ce.getExtension("sequence"))).isEqualTo("1");
    assertThat(JSON.readTree(ce.getData().toBytes()).get("memory_id").asText()).isEqualTo("m-" + n);
  }
}

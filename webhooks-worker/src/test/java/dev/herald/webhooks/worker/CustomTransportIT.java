package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.registry.TransportRegistry;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.testing.TestJars;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
import dev.herald.webhooks.spi.TransportProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's transport, compiled into its own jar by this test, found with ServiceLoader and
 * used by an endpoint: the example of docs/extending.md.
 */
class CustomTransportIT {

  /** The provider exactly as docs/extending.md shows it. */
  static final String FILE_DROP_PROVIDER =
      """
      package com.example.herald;

      import dev.herald.webhooks.spi.OutboundMessage;
      import dev.herald.webhooks.spi.SendOutcome;
      import dev.herald.webhooks.spi.Transport;
      import dev.herald.webhooks.spi.TransportConfig;
      import dev.herald.webhooks.spi.TransportProvider;
      import java.io.IOException;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.nio.file.StandardCopyOption;
      import java.time.Duration;

      /** Writes each event to {dir}/{destination}/{event id}.json: drop folders other systems pick up. */
      public final class FileDropTransportProvider implements TransportProvider {
        @Override
        public String name() {
          return "file-drop";
        }

        @Override
        public boolean deliversToEndpoints() {
          return true;
        }

        /** An endpoint's destination names a sub-folder of the drop folder. */
        @Override
        public void checkDestination(String destination, TransportConfig config) {
          if (!destination.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException(
                "a file-drop destination is a folder name: a-z, 0-9 and -");
          }
        }

        @Override
        public Transport create(TransportConfig config) {
          Path dir = Path.of(config.get("herald.transport.file-drop.dir").orElseThrow(() ->
              new IllegalArgumentException("herald.transport.file-drop.dir is not set")));
          return new Transport() {
            @Override
            public SendOutcome send(OutboundMessage message) {
              long start = System.nanoTime();
              try {
                Path folder = Files.createDirectories(dir.resolve(message.destination()));
                Path tmp = Files.write(folder.resolve(message.eventId() + ".tmp"), message.body());
                Files.move(tmp, folder.resolve(message.eventId() + ".json"),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new SendOutcome.Succeeded(null, Duration.ofNanos(System.nanoTime() - start));
              } catch (IOException e) {
                return new SendOutcome.Retry(null, Duration.ofNanos(System.nanoTime() - start),
                    new SendOutcome.Error("io_error", e.getMessage()), null);
              }
            }

            @Override
            public void close() {}
          };
        }
      }
      """;

  @TempDir Path work;

  @Test
  void docsExtendingShowsThisProvider() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "extending.md"));
    String shown = FILE_DROP_PROVIDER.substring(FILE_DROP_PROVIDER.indexOf("/** Writes each"));
    assertThat(docs.replaceAll("\\s+", " ")).contains(shown.replaceAll("\\s+", " ").strip());
  }

  @Test
  void eventsAreDeliveredThroughAProviderLoadedFromAJarBuiltHere() throws Exception {
    Path jar =
        TestJars.build(
            work.resolve("build"),
            Map.of("com.example.herald.FileDropTransportProvider", FILE_DROP_PROVIDER),
            Map.of(
                TransportProvider.class.getName(), "com.example.herald.FileDropTransportProvider"));
    Path drop = Files.createDirectories(work.resolve("drop"));
    try (URLClassLoader loader =
            new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
        WorkerFixture fixture = new WorkerFixture(Map.of())) {
      TransportRegistry registry = TransportRegistry.load(loader);
      assertThat(registry.names()).contains("file-drop", "http");
      assertThat(registry.endpointTransports()).containsExactly("file-drop", "http");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> registry.checkEndpointDestination("file-drop", "../etc", k -> Optional.empty()))
          .hasMessageContaining("a folder name");
      Transports transports =
          new Transports(
              registry,
              key ->
                  key.equals("herald.transport.file-drop.dir")
                      ? Optional.of(drop.toString())
                      : Optional.empty());
      fixture.store.create(
          new NewEndpoint(
              WorkerFixture.TENANT,
              "incoming",
              "file-drop",
              List.of("memory.*"),
              SignatureProfile.STANDARD,
              null,
              WebhookSecrets.generate(),
              "picked up by the archive job",
              Map.of(),
              null,
              10,
              null,
              null,
              Ordering.NONE,
              null,
              EndpointFormat.HERALD,
              false));
      DeliveryWorker worker =
          new DeliveryWorker(
              fixture.store,
              fixture.store,
              transports,
              fixture.phases,
              WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()),
              Clock.systemUTC(),
              null);
      worker.start();
      try {
        PublishResult first = fixture.publishMemoryCreated("m-1");
        PublishResult second = fixture.publishMemoryCreated("m-2");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    fixture.onlyDelivery(second.eventId()).status() == DeliveryStatus.SUCCEEDED
                        && fixture.onlyDelivery(first.eventId()).status()
                            == DeliveryStatus.SUCCEEDED);
        Path incoming = drop.resolve("incoming");
        assertThat(Files.readString(incoming.resolve(first.eventId() + ".json")))
            .startsWith("{\"id\":\"" + first.eventId() + "\"")
            .contains("\"memory_id\":\"m-1\"");
        assertThat(incoming.resolve(second.eventId() + ".json")).exists();
      } finally {
        worker.stop(Duration.ofSeconds(5));
        transports.close();
      }
    }
  }
}

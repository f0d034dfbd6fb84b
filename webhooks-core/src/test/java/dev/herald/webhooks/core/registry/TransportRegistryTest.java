package dev.herald.webhooks.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.core.testing.TestJars;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.spi.TransportProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportRegistryTest {

  private static final String PROVIDER_SOURCE =
      """
      package com.example.herald;

      import dev.herald.webhooks.spi.*;
      import java.time.Duration;

      public class EchoTransportProvider implements TransportProvider {
        public String name() { return "echo"; }
        public Transport create(TransportConfig config) {
          String reply = config.get("herald.transport.echo.reply", "ok");
          return new Transport() {
            public SendOutcome send(OutboundMessage message) {
              return new SendOutcome.Succeeded(
                  new SendOutcome.Response(0, reply + ":" + message.eventId()), Duration.ZERO);
            }
            public void close() {}
          };
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void loadsAProviderFromAJarBuiltInTheTest() throws Exception {
    Path jar =
        TestJars.build(
            dir,
            Map.of("com.example.herald.EchoTransportProvider", PROVIDER_SOURCE),
            Map.of(TransportProvider.class.getName(), "com.example.herald.EchoTransportProvider"));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      TransportRegistry registry = TransportRegistry.load(loader);
      assertThat(registry.names()).contains("echo");
      TransportConfig config =
          key ->
              key.equals("herald.transport.echo.reply")
                  ? java.util.Optional.of("pong")
                  : java.util.Optional.empty();
      try (Transport transport = registry.require("endpoint transport", "echo").create(config)) {
        SendOutcome outcome =
            transport.send(
                new OutboundMessage(
                    "dlv_1", "evt_1", "user.created", "acme", null, 1, new byte[0], Map.of()));
        assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
        assertThat(outcome.response().bodyExcerpt()).isEqualTo("pong:evt_1");
      }
    }
  }

  @Test
  void unknownTransportNamesTheKeyTheValueAndTheJarToAdd() {
    TransportRegistry registry = new TransportRegistry(List.of());
    assertThatThrownBy(() -> registry.require("herald.transport", "kafka"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("herald.transport is set to \"kafka\"")
        .hasMessageContaining("webhooks-transport-kafka");
  }

  @Test
  void duplicateTransportNamesFailAtStartUp() {
    TransportProvider a = provider("http");
    TransportProvider b = provider("http");
    assertThatThrownBy(() -> new TransportRegistry(List.of(a, b)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two transport providers are named 'http'");
  }

  private static TransportProvider provider(String name) {
    return new TransportProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Transport create(TransportConfig config) {
        return new Transport() {
          @Override
          public SendOutcome send(OutboundMessage message) {
            return new SendOutcome.Succeeded(null, Duration.ZERO);
          }

          @Override
          public void close() {}
        };
      }
    };
  }
}

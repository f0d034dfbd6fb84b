package dev.herald.examples.rabbitmq;

import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.spi.TransportProvider;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes each delivery to a RabbitMQ exchange: endpoints choose it with {@code "transport":
 * "rabbitmq"} and a destination {@code amqp://host[:port][/vhost]/exchange[?routing_key=key]}.
 *
 * <p>Settings (environment variable, or property):
 *
 * <ul>
 *   <li>{@code HERALD_TRANSPORT_RABBITMQ_USERNAME}, {@code _PASSWORD} ({@code guest}/{@code
 *       guest})
 *   <li>{@code HERALD_TRANSPORT_RABBITMQ_ALLOWED_HOSTS}: the broker hosts tenants may name,
 *       comma-separated; empty allows any (a tenant could then make the server connect anywhere)
 *   <li>{@code HERALD_TRANSPORT_RABBITMQ_TIMEOUT_MS} (5000): connect and confirm timeout
 * </ul>
 */
public final class RabbitMqTransportProvider implements TransportProvider {
  static final String USERNAME = "herald.transport.rabbitmq.username";
  static final String PASSWORD = "herald.transport.rabbitmq.password";
  static final String ALLOWED_HOSTS = "herald.transport.rabbitmq.allowed-hosts";
  static final String TIMEOUT_MS = "herald.transport.rabbitmq.timeout-ms";

  @Override
  public String name() {
    return "rabbitmq";
  }

  @Override
  public boolean deliversToEndpoints() {
    return true;
  }

  @Override
  public void checkDestination(String destination, TransportConfig config) {
    AmqpDestination parsed = AmqpDestination.parse(destination);
    Set<String> allowed = allowedHosts(config);
    if (!allowed.isEmpty() && !allowed.contains(parsed.host())) {
      throw new IllegalArgumentException(
          "broker host " + parsed.host() + " is not allowed here; allowed: " + allowed);
    }
  }

  @Override
  public Transport create(TransportConfig config) {
    int timeout =
        config
            .value(TIMEOUT_MS, "a whole number of milliseconds from 100 to 60000", Integer::parseInt)
            .filter(t -> t >= 100 && t <= 60_000)
            .orElse(5_000);
    return new RabbitMqTransport(
        config.value(USERNAME).orElse("guest"),
        config.value(PASSWORD).orElse("guest"),
        timeout,
        allowedHosts(config));
  }

  private static Set<String> allowedHosts(TransportConfig config) {
    return config
        .value(ALLOWED_HOSTS)
        .map(
            list ->
                Arrays.stream(list.split(","))
                    .map(String::strip)
                    .filter(h -> !h.isEmpty())
                    .collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
  }
}

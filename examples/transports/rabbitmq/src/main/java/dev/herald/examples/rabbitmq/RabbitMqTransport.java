package dev.herald.examples.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Publishes each message, as Herald signed it, to an exchange: the body as is, the signature
 * headers ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}, or the
 * legacy-hex ones) as AMQP headers, persistent, and waits for the broker's publisher confirm. A
 * broker that cannot be reached or does not confirm in time is a {@code Retry}; an exchange that
 * does not exist is a {@code Failed} (the delivery goes to the dead letters, and can be redriven
 * once the exchange exists). One connection per broker and vhost, a channel per send.
 */
final class RabbitMqTransport implements Transport {
  private final String username;
  private final String password;
  private final int timeoutMillis;
  private final Set<String> allowedHosts;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  RabbitMqTransport(String username, String password, int timeoutMillis, Set<String> allowedHosts) {
    this.username = username;
    this.password = password;
    this.timeoutMillis = timeoutMillis;
    this.allowedHosts = allowedHosts;
  }

  @Override
  public SendOutcome send(OutboundMessage message) {
    long started = System.nanoTime();
    AmqpDestination destination;
    try {
      destination = AmqpDestination.parse(message.destination());
    } catch (IllegalArgumentException e) {
      return failed(started, "amqp_bad_destination", e.getMessage());
    }
    if (!allowedHosts.isEmpty() && !allowedHosts.contains(destination.host())) {
      return failed(started, "amqp_host_not_allowed", destination.host() + " is not allowed");
    }
    String routingKey =
        destination.routingKey() != null ? destination.routingKey() : message.eventType();
    Connection connection = null;
    try {
      connection = connection(destination);
      Channel channel = connection.createChannel();
      try {
        channel.confirmSelect();
        AMQP.BasicProperties properties =
            new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(message.headers().getOrDefault("webhook-id", message.eventId()))
                .type(message.eventType())
                .timestamp(new Date())
                .headers(new HashMap<>(message.headers()))
                .build();
        channel.basicPublish(destination.exchange(), routingKey, properties, message.body());
        channel.waitForConfirmsOrDie(timeoutMillis);
      } finally {
        if (channel.isOpen()) {
          channel.close();
        }
      }
      return new SendOutcome.Succeeded(
          new SendOutcome.Response(
              0,
              "confirmed by exchange '"
                  + destination.exchange()
                  + "' with routing key '"
                  + routingKey
                  + "'"),
          since(started));
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      if (replyCode(e) == AMQP.NOT_FOUND) {
        return failed(
            started,
            "amqp_not_found",
            "exchange '" + destination.exchange() + "' does not exist in vhost '"
                + destination.vhost() + "'");
      }
      forget(destination, connection);
      return new SendOutcome.Retry(
          null, since(started), new SendOutcome.Error("amqp_unavailable", describe(e)), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendOutcome.Retry(
          null, since(started), new SendOutcome.Error("amqp_interrupted", "interrupted"), null);
    }
  }

  private Connection connection(AmqpDestination destination)
      throws IOException, TimeoutException {
    Connection existing = connections.get(destination.connectionKey());
    if (existing != null && existing.isOpen()) {
      return existing;
    }
    synchronized (this) {
      existing = connections.get(destination.connectionKey());
      if (existing != null && existing.isOpen()) {
        return existing;
      }
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost(destination.host());
      factory.setPort(destination.port());
      factory.setVirtualHost(destination.vhost());
      factory.setUsername(username);
      factory.setPassword(password);
      factory.setConnectionTimeout(timeoutMillis);
      factory.setHandshakeTimeout(timeoutMillis);
      // Herald retries the deliveries; a dead connection is replaced at the next send.
      factory.setAutomaticRecoveryEnabled(false);
      if (destination.tls()) {
        try {
          factory.useSslProtocol(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
          throw new IOException("TLS is not available", e);
        }
        factory.enableHostnameVerification();
      }
      Connection created = factory.newConnection("herald");
      connections.put(destination.connectionKey(), created);
      return created;
    }
  }

  private void forget(AmqpDestination destination, Connection connection) {
    if (connection != null) {
      connections.remove(destination.connectionKey(), connection);
      try {
        connection.abort(timeoutMillis);
      } catch (RuntimeException ignored) {
        // Already gone.
      }
    }
  }

  /** The AMQP reply code of the channel or connection closure behind {@code e}, or 0. */
  private static int replyCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close c) {
        return c.getReplyCode();
      }
    }
    return 0;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static SendOutcome failed(long started, String type, String message) {
    return new SendOutcome.Failed(null, since(started), new SendOutcome.Error(type, message), false);
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Override
  public void close() {
    connections.values().forEach(c -> c.abort(timeoutMillis));
    connections.clear();
  }
}

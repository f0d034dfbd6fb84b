package dev.herald.examples.rabbitmq;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An endpoint's destination: {@code amqp://host[:port][/vhost]/exchange[?routing_key=key]}, or
 * {@code amqps://} for TLS. The vhost is {@code /} when absent (percent-encode a vhost with
 * slashes); the routing key is the event type when absent. Credentials never go in it: they are the
 * operator's settings.
 */
record AmqpDestination(boolean tls, String host, int port, String vhost, String exchange,
    String routingKey) {

  static AmqpDestination parse(String destination) {
    URI uri;
    try {
      uri = new URI(destination);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
      throw new IllegalArgumentException(
          "a RabbitMQ destination is amqp://host[:port][/vhost]/exchange[?routing_key=key]");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "credentials do not belong in the destination: the operator sets"
              + " HERALD_TRANSPORT_RABBITMQ_USERNAME and HERALD_TRANSPORT_RABBITMQ_PASSWORD");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("the destination names no host");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    String vhost;
    String exchange;
    if (segments.length == 1 && !segments[0].isEmpty()) {
      vhost = "/";
      exchange = decode(segments[0]);
    } else if (segments.length == 2 && !segments[1].isEmpty()) {
      vhost = decode(segments[0]);
      exchange = decode(segments[1]);
    } else {
      throw new IllegalArgumentException(
          "the path must be /exchange or /vhost/exchange, was '" + path + "'");
    }
    String routingKey = null;
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv[0].equals("routing_key") && kv.length == 2) {
          routingKey = decode(kv[1]);
        } else {
          throw new IllegalArgumentException("unknown query parameter '" + kv[0] + "'");
        }
      }
    }
    boolean tls = scheme.equals("amqps");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 5671 : 5672;
    return new AmqpDestination(tls, uri.getHost(), port, vhost, exchange, routingKey);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** The broker connection this destination needs: one per host, port, vhost and TLS. */
  String connectionKey() {
    return (tls ? "amqps://" : "amqp://") + host + ":" + port + "/" + vhost;
  }
}

package dev.herald.webhooks.web.internal;

import dev.herald.webhooks.transport.redis.RedisUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A cheap Redis reachability probe for readiness: connects to the nodes in turn and, without TLS,
 * sends {@code PING}. Any reply proves a Redis server answers ({@code -NOAUTH} included: the
 * transport authenticates, the probe does not need to).
 */
public final class RedisPing {
  private RedisPing() {}

  /** Empty when some node answered, else the last failure. */
  public static Optional<String> anyNodeAnswers(RedisUrl url, Duration timeout) {
    String failure = "no node";
    for (RedisUrl.Node node : url.nodes()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(node.host(), node.port()), (int) timeout.toMillis());
        if (url.tls()) {
          return Optional.empty();
        }
        socket.setSoTimeout((int) timeout.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first == '+' || first == '-') {
          return Optional.empty();
        }
        failure = node + ": not a Redis reply";
      } catch (IOException e) {
        failure = node + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    return Optional.of(failure);
  }
}

package dev.herald.webhooks.transport.http;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.TransportConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** Loopback receivers for the transport tests: a recording HTTP server and raw socket servers. */
final class Receivers {

  private Receivers() {}

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  static TransportConfig config(Map<String, String> values) {
    Map<String, String> copy = new HashMap<>(values);
    return key -> java.util.Optional.ofNullable(copy.get(key));
  }

  /** Loopback reachable, any port, the given extra keys on top. */
  static Map<String, String> loopbackAllowed(String... keysAndValues) {
    Map<String, String> values = new HashMap<>();
    values.put(HttpTransportSettings.SSRF_ALLOWED_NETWORKS, "127.0.0.0/8");
    values.put(HttpTransportSettings.SSRF_ALLOWED_PORTS, "*");
    values.put(HttpTransportSettings.VERSION, "test-1.0");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return values;
  }

  static OutboundMessage message(String url, byte[] body, Map<String, String> headers) {
    return new OutboundMessage(
        "dlv_123", "evt_456", "order.created", "ten_1", url, 3, body, headers);
  }

  static OutboundMessage message(String url) {
    return message(
        url,
        "{\"id\":\"evt_456\",\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("webhook-id", "evt_456", "webhook-signature", "v1,abc"));
  }

  /** One request as an HTTP server saw it. */
  record Seen(String method, String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(",", values);
    }
  }

  /**
   * The JDK's HTTP(S) server on 127.0.0.1, recording every request and answering with a handler.
   */
  static final class Recording implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    private volatile HttpHandler answer = respond(200, "ok", Map.of());

    private Recording(HttpServer server) {
      this.server = server;
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new HashMap<>();
            exchange
                .getRequestHeaders()
                .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            requests.add(
                new Seen(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    headers,
                    body));
            answer.handle(exchange);
          });
      server.setExecutor(executor);
      server.start();
    }

    static Recording http() throws IOException {
      return new Recording(HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0));
    }

    static Recording https(SSLContext context) throws IOException {
      HttpsServer server = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(context));
      return new Recording(server);
    }

    Recording answering(HttpHandler handler) {
      this.answer = handler;
      return this;
    }

    int port() {
      return server.getAddress().getPort();
    }

    String url(String scheme, String host, String path) {
      return scheme + "://" + host + ":" + port() + path;
    }

    String url(String path) {
      return url("http", "127.0.0.1", path);
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  static HttpHandler respond(int status, String body, Map<String, String> headers) {
    return respond(status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  static HttpHandler respond(int status, byte[] body, Map<String, String> headers) {
    return exchange -> {
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  /** What a raw receiver does with one accepted connection. */
  @FunctionalInterface
  interface Behaviour {
    void serve(Socket socket) throws IOException, InterruptedException;
  }

  /** A {@link ServerSocket} on 127.0.0.1 that counts connections and misbehaves as told. */
  static final class Raw implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    Raw(Behaviour behaviour) throws IOException {
      server = new ServerSocket(0, 50, LOOPBACK);
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    accepted.incrementAndGet();
                    Thread worker =
                        new Thread(
                            () -> {
                              try {
                                behaviour.serve(socket);
                              } catch (IOException | InterruptedException e) {
                                // The client went away; that is what these receivers provoke.
                              }
                            });
                    worker.setDaemon(true);
                    worker.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "raw-receiver");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    String url() {
      return "http://127.0.0.1:" + port() + "/hook";
    }

    /**
     * How many connections arrived before this call: connects a fence socket of its own and waits
     * until it was accepted, so any earlier connection has been counted too (the backlog is FIFO).
     */
    int connectionsBeforeFence() throws IOException {
      int before;
      try (Socket fence = new Socket(LOOPBACK, port())) {
        before = -1;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> sockets.stream().anyMatch(s -> s.getPort() == fence.getLocalPort()));
        for (int i = 0; i < sockets.size(); i++) {
          if (sockets.get(i).getPort() == fence.getLocalPort()) {
            before = i;
          }
        }
      }
      return before;
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Reads one request (head and a Content-Length body) from {@code in}. */
  static byte[] readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended in its head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    byte[] body = in.readNBytes(length);
    head.write(body);
    return head.toByteArray();
  }
}

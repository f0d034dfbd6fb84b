package dev.herald.webhooks.worker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told. */
final class LoopbackReceiver implements AutoCloseable {

  /** One received request. Header names are case-insensitive. */
  record Request(String path, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What to answer. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply status(int status) {
      return new Reply(status, Map.of(), "");
    }

    /** 200 once {@code release} opens (at most {@code max} later): a receiver that holds sends. */
    static Reply okAfter(CountDownLatch release, Duration max) {
      try {
        release.await(max.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return status(200);
    }
  }

  static {
    // Without it the JDK server's small responses wait for delayed ACKs (~40 ms each), and the
    // receiver, not Herald, sets the pace.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(32);
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private volatile Function<Request, Reply> responder = request -> Reply.status(200);

  LoopbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          headers.putAll(exchange.getRequestHeaders());
          Request request =
              new Request(exchange.getRequestURI().getPath(), headers, body, Instant.now());
          requests.add(request);
          Reply reply = responder.apply(request);
          reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
          if (out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
              os.write(out);
            }
          }
          exchange.close();
        });
    server.start();
  }

  void respondWith(Function<Request, Reply> responder) {
    this.responder = responder;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

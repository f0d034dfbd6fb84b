package it.ui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on loopback that answers with a status the test sets, and keeps bodies. */
final class LoopbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private volatile int answer = 200;
  private volatile String allowedOrigin;

  LoopbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if (exchange.getRequestMethod().equals("OPTIONS")) {
            // The CloudEvents validation request: allowed once the test says so.
            if (allowedOrigin != null) {
              exchange.getResponseHeaders().add("WebHook-Allowed-Origin", allowedOrigin);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
          }
          try (InputStream in = exchange.getRequestBody()) {
            bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
          int status = answer;
          byte[] reply = (status < 300 ? "ok" : "not today").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void answer(int status) {
    answer = status;
  }

  /** The origin the validation request's answer allows, or null to allow none. */
  void allowOrigin(String origin) {
    allowedOrigin = origin;
  }

  List<String> bodies() {
    return bodies;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

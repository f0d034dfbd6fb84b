// A Herald webhook receiver with the JDK's HTTP server and Herald's verifier jar (which has no
// dependencies of its own).
//
// Verifies the Standard Webhooks signature over the raw body, refuses stale timestamps,
// de-duplicates by webhook-id, answers at once and processes afterwards.
//
//   WEBHOOK_SECRET=whsec_... PORT=8000 java -cp webhooks-verifier.jar Receiver.java

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerificationException;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class Receiver {
  // Use a shared store (Redis SET NX, a unique index) when several copies receive.
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
  private static final ExecutorService WORK = Executors.newSingleThreadExecutor();

  public static void main(String[] args) throws IOException {
    WebhookVerifier verifier =
        WebhookVerifier.builder().secret(System.getenv("WEBHOOK_SECRET")).build();
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> receive(verifier, exchange));
    server.start();
    System.out.println("listening on " + port);
  }

  private static void receive(WebhookVerifier verifier, HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes(); // the raw bytes, never a re-serialized object
    }
    VerifiedWebhook hook;
    try {
      hook = verifier.verify(exchange.getRequestHeaders(), body);
    } catch (WebhookVerificationException e) {
      System.out.println("rejected " + e.reason() + ": " + e.getMessage());
      int status = e.reason() == WebhookVerificationException.Reason.NO_MATCHING_SIGNATURE ? 401 : 400;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    if (!SEEN.add(hook.id())) {
      System.out.println("duplicate " + hook.id());
    } else {
      WORK.execute(() -> System.out.println("accepted " + hook.id() + " " + hook.eventType()));
    }
    exchange.sendResponseHeaders(204, -1); // answer fast: Herald waits for this
    exchange.close();
  }
}

package dev.herald.webhooks.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.webhooks.verifier.WebhookVerificationException;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Recorder;

/**
 * The loopback receiver: verifies every request's signature with the verifier jar, as a real
 * receiver would, answers 204, and counts receipts per second. Requests for {@code /hook/{name}}
 * are verified with the secret registered under that name. When a latency probe is armed, the
 * receipt of an event whose {@code memory_id} is {@code lat-N} records now minus the intended send
 * time of event N.
 */
final class Receiver implements AutoCloseable {
  private static final byte[] MEMORY_ID = "\"memory_id\":\"lat-".getBytes(StandardCharsets.UTF_8);
  private static final int SECONDS = 7200;

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, WebhookVerifier> verifiers = new ConcurrentHashMap<>();
  private final long origin = System.nanoTime();
  private final Map<String, AtomicLong> verifiedByName = new ConcurrentHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLongArray perSecond = new AtomicLongArray(SECONDS);
  private volatile long[] intendedNanos;
  private volatile Recorder latency;
  private final AtomicLong probes = new AtomicLong();
  private volatile long countedFrom = Long.MIN_VALUE;

  Receiver(int port, int threads) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    pool = Executors.newFixedThreadPool(threads);
    server.setExecutor(pool);
    server.createContext("/hook/", this::handle);
    server.start();
  }

  void register(String name, String secret) {
    verifiers.put(name, WebhookVerifier.builder().secret(secret).build());
    verifiedByName.put(name, new AtomicLong());
  }

  /**
   * Verified requests to the endpoints registered under names starting with {@code namePrefix}: a
   * scenario counts its own receipts, not those of another scenario's backlog or of wrk.
   */
  long verified(String namePrefix) {
    long sum = 0;
    for (Map.Entry<String, AtomicLong> e : verifiedByName.entrySet()) {
      if (e.getKey().startsWith(namePrefix)) {
        sum += e.getValue().get();
      }
    }
    return sum;
  }

  long rejected() {
    return rejected.get();
  }

  /** Receipts in each whole second since the receiver started. */
  long receivedInSecond(int second) {
    return second < SECONDS ? perSecond.get(second) : 0;
  }

  int currentSecond() {
    return (int) ((System.nanoTime() - origin) / 1_000_000_000L);
  }

  /** Records publish-to-receipt latency of {@code lat-N} events against {@code intended[N]}. */
  void armLatency(long[] intended, Recorder recorder) {
    armLatency(intended, recorder, Long.MIN_VALUE);
  }

  /**
   * As {@link #armLatency(long[], Recorder)}, recording only events intended from {@code
   * countedFrom} (a {@link System#nanoTime()}) on; {@link #probes()} counts them all from zero.
   */
  void armLatency(long[] intended, Recorder recorder, long countedFrom) {
    this.countedFrom = countedFrom;
    this.intendedNanos = intended;
    probes.set(0);
    this.latency = recorder;
  }

  int port() {
    return server.getAddress().getPort();
  }

  void disarmLatency() {
    this.latency = null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = exchange.getRequestURI().getPath();
      String name = path.substring(path.lastIndexOf('/') + 1);
      WebhookVerifier verifier = verifiers.get(name);
      int status = 204;
      if (verifier == null) {
        status = 404;
      } else {
        try {
          verifier.verify(exchange.getRequestHeaders(), body);
        } catch (WebhookVerificationException e) {
          status = 400;
        }
      }
      if (status == 204) {
        long now = System.nanoTime();
        verifiedByName.get(name).incrementAndGet();
        int second = (int) ((now - origin) / 1_000_000_000L);
        if (second < SECONDS) {
          perSecond.incrementAndGet(second);
        }
        Recorder recorder = latency;
        if (recorder != null) {
          // A batched request carries several probes: each is an event received now.
          long[] intended = intendedNanos;
          for (int at = probeAt(body, 0); at >= 0; at = probeAt(body, at + 1)) {
            int n = probeNumber(body, at);
            if (n < intended.length && intended[n] != 0) {
              probes.incrementAndGet();
              if (intended[n] >= countedFrom) {
                recorder.recordValue(Math.max(0, (now - intended[n]) / 1_000));
              }
            }
          }
        }
      } else {
        rejected.incrementAndGet();
      }
      exchange.sendResponseHeaders(status, -1);
    }
  }

  /** Where the next {@code "memory_id":"lat-} from {@code from} on starts, or -1. */
  private static int probeAt(byte[] body, int from) {
    outer:
    for (int i = from; i + MEMORY_ID.length < body.length; i++) {
      for (int j = 0; j < MEMORY_ID.length; j++) {
        if (body[i + j] != MEMORY_ID[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int probeNumber(byte[] body, int at) {
    int n = 0;
    for (int k = at + MEMORY_ID.length; k < body.length && body[k] >= '0' && body[k] <= '9'; k++) {
      n = n * 10 + (body[k] - '0');
    }
    return n;
  }

  /** Probes received while latency was armed, each event of a batch counted. */
  long probes() {
    return probes.get();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}

package it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.core.json.JsonReader;
import it.ApiCalls.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server ({@link HeraldServerProcess}) on a PostgreSQL of the test's own ({@link
 * PrivatePostgres}) that crashes under a publishing load and comes back: readiness follows the
 * database, every request gets a quick answer (accepted, or 503 problem with Retry-After), no event
 * acknowledged is lost, and the log stays short.
 */
class DatabaseOutageIT {
  private static final String OPERATOR = "outage-operator-" + UUID.randomUUID();
  private static final int PUBLISHERS = 4;
  private static final Duration SERVER_START = Duration.ofMinutes(3);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration LOAD_BEFORE = Duration.ofSeconds(3);
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final Duration LOAD_AFTER = Duration.ofSeconds(3);
  private static final Duration READINESS_FOLLOWS = Duration.ofSeconds(5);
  private static final long SLOWEST_503_MS = 2_000;
  private static final int MOST_LOG_LINES = 50;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** When an answer came, relative to the outage. */
  enum Phase {
    BEFORE,
    OUTAGE,
    AFTER
  }

  /**
   * One publish: status -1 with failure when there was no answer. eventId for 202/200; content type
   * and Retry-After for the others.
   */
  record Answer(
      long startedNanos,
      long elapsedMs,
      int status,
      String eventId,
      String contentType,
      String retryAfter,
      String failure) {
    boolean acknowledged() {
      return status == 202 || status == 200;
    }

    boolean properUnavailable() {
      return status == 503
          && contentType != null
          && contentType.startsWith("application/problem+json")
          && retryAfter != null
          && !retryAfter.isBlank();
    }
  }

  /** One GET /health/ready: status -1 when it failed; health is the body's status (UP/DOWN). */
  record Probe(long atNanos, int status, String health) {
    boolean down() {
      return status == 503 && "DOWN".equals(health);
    }

    boolean up() {
      return status == 200 && "UP".equals(health);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void publishingSurvivesADatabaseCrash() throws Exception {
    try (PrivatePostgres database = new PrivatePostgres()) {
      database.start();
      try (HeraldServerProcess server =
          new HeraldServerProcess(
              Map.of("DATABASE_URL", database.databaseUrl(), "HERALD_ADMIN_API_KEY", OPERATOR))) {
        server.start(SERVER_START);
        outage(database, server);
      }
    }
  }

  private void outage(PrivatePostgres database, HeraldServerProcess server) throws Exception {
    String tenantKey = newTenant(server.api());
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    List<Probe> probes = new CopyOnWriteArrayList<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicLong counter = new AtomicLong();
    ExecutorService load = Executors.newFixedThreadPool(PUBLISHERS);
    ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
    long crashed;
    long crashMs;
    long restarting;
    long restarted;
    long restartMs;
    Probe down;
    Probe up;
    List<String> logBefore;
    Map<String, Reply> portalDuringOutage;
    Reply portalMintedAfter;
    try {
      prober.scheduleWithFixedDelay(() -> probes.add(probe(server)), 0, 250, TimeUnit.MILLISECONDS);
      for (int i = 0; i < PUBLISHERS; i++) {
        load.submit(
            () -> {
              while (publishing.get()) {
                answers.add(publish(server, tenantKey, counter.incrementAndGet()));
              }
            });
      }
      long loadStarted = System.nanoTime();
      try {
        await("events accepted before the crash")
            .atMost(Duration.ofSeconds(60))
            .pollDelay(LOAD_BEFORE)
            .until(() -> answers.stream().anyMatch(a -> a.status() == 202));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "no event accepted before the crash; first answers: " + first(List.copyOf(answers), 10),
            e);
      }

      logBefore = server.logLines();
      // The outage counts from the crash's beginning: stricter for readiness, and requests sent
      // while pg_ctl kills the server count as sent during the outage.
      crashed = System.nanoTime();
      database.crash();
      crashMs = millis(System.nanoTime() - crashed);
      down = awaitReadiness("503 DOWN after the crash", probes, crashed, Probe::down);
      portalDuringOutage = portalLinkCalls(server.api(), tenantKey);

      holdUntil(crashed + OUTAGE.toNanos());
      restarting = System.nanoTime();
      database.restart();
      restarted = System.nanoTime();
      restartMs = millis(restarted - restarting);
      up = awaitReadiness("200 UP after the database restart", probes, restarted, Probe::up);
      portalMintedAfter = ApiCalls.call(server.api(), "POST", "/portal-links", tenantKey, "{}");

      holdUntil(up.atNanos() + LOAD_AFTER.toNanos());
      System.out.printf(
          "DatabaseOutageIT: load ran %d ms, stopping it%n",
          millis(System.nanoTime() - loadStarted));
    } finally {
      publishing.set(false);
      load.shutdown();
      // In-flight requests end within the client timeout.
      if (!load.awaitTermination(CLIENT_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS)) {
        load.shutdownNow();
      }
      prober.shutdownNow();
      prober.awaitTermination(10, TimeUnit.SECONDS);
    }

    List<Answer> all = List.copyOf(answers);
    List<String> acknowledged =
        all.stream().filter(Answer::acknowledged).map(Answer::eventId).toList();
    List<String> lost = notRetrievable(server.api(), tenantKey, acknowledged);
    List<String> logAfter = server.logLines();
    List<String> logAdded =
        logAfter.subList(Math.min(logBefore.size(), logAfter.size()), logAfter.size());
    List<String> stackTraceLines = logAdded.stream().filter(l -> l.contains("\tat ")).toList();

    Map<Phase, Map<Integer, Long>> byPhase = new TreeMap<>();
    for (Answer a : all) {
      byPhase
          .computeIfAbsent(phase(a, crashed, restarted), p -> new TreeMap<>())
          .merge(a.status(), 1L, Long::sum);
    }
    long slowest503 =
        all.stream().filter(a -> a.status() == 503).mapToLong(Answer::elapsedMs).max().orElse(0);
    System.out.printf(
        "DatabaseOutageIT summary: %d answers by status %s, by phase %s; slowest 503 %d ms;"
            + " readiness DOWN %d ms after the crash (crash took %d ms), UP %d ms after the"
            + " database restart (restart took %d ms); messages.log +%d lines (%d stack-trace"
            + " lines) since the crash; %d events acknowledged, %d not retrievable%n",
        all.size(),
        all.stream()
            .collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting())),
        byPhase,
        slowest503,
        millis(down.atNanos() - crashed),
        crashMs,
        millis(up.atNanos() - restarted),
        restartMs,
        logAdded.size(),
        stackTraceLines.size(),
        acknowledged.size(),
        lost.size());

    assertNone(
        "requests without an answer (client timeout " + CLIENT_TIMEOUT + " or connection failure)",
        all,
        a -> a.status() < 0);
    assertNone("500 answers", all, a -> a.status() == 500);
    assertNone(
        "answers (before, during or after the outage) neither 2xx nor 503"
            + " application/problem+json with Retry-After",
        all,
        a -> !(a.status() >= 200 && a.status() < 300) && !a.properUnavailable());
    assertNone(
        "503 answers slower than " + SLOWEST_503_MS + " ms",
        all,
        a -> a.status() == 503 && a.elapsedMs() > SLOWEST_503_MS);
    assertThat(byPhase.getOrDefault(Phase.BEFORE, Map.of())).as("before").containsKey(202);
    assertThat(byPhase.getOrDefault(Phase.OUTAGE, Map.of())).as("during the outage").isNotEmpty();
    assertThat(byPhase.getOrDefault(Phase.AFTER, Map.of())).as("after").containsKey(202);

    assertThat(down.atNanos() - crashed)
        .as("readiness DOWN after the crash, ns")
        .isLessThanOrEqualTo(READINESS_FOLLOWS.toNanos());
    // restart() returns once a connection works: the server may see the database back before.
    assertThat(
            probes.stream().filter(p -> p.atNanos() > down.atNanos() && p.atNanos() < restarting))
        .as("readiness while the database is down, after it first said DOWN")
        .noneMatch(Probe::up);
    assertThat(up.atNanos() - restarted)
        .as("readiness UP after the database restart, ns")
        .isLessThanOrEqualTo(READINESS_FOLLOWS.toNanos());

    portalDuringOutage.forEach(
        (call, reply) ->
            assertThat(
                    reply.status() == 503
                        && String.valueOf(reply.contentType())
                            .startsWith("application/problem+json")
                        && reply.raw().headers().firstValue("Retry-After").isPresent())
                .as(
                    "%s while the database is down: %s %s",
                    call, reply.status(), reply.raw().body())
                .isTrue());
    assertThat(portalMintedAfter.status())
        .as("minting a portal link after the restart: %s", portalMintedAfter.raw().body())
        .isEqualTo(201);

    assertThat(lost).as("acknowledged events that GET /api/v1/events/{id} does not find").isEmpty();
    assertThat(logAdded.size())
        .as("lines added to messages.log since the crash:\n%s", String.join("\n", logAdded))
        .isLessThan(MOST_LOG_LINES);
    assertThat(stackTraceLines)
        .as("stack-trace lines in messages.log since the crash:\n%s", String.join("\n", logAdded))
        .isEmpty();
  }

  private static String newTenant(String api) throws IOException, InterruptedException {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    Reply created =
        ApiCalls.call(
            api,
            "POST",
            "/tenants",
            OPERATOR,
            "{\"id\":\"" + id + "\",\"name\":\"Outage " + id + "\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return (String) created.json().get("api_key");
  }

  /**
   * Portal-link calls whose answer depends on the database: minting and listing links, and a token
   * this server has never checked (a checked one is trusted from memory for a while).
   */
  private static Map<String, Reply> portalLinkCalls(String api, String tenantKey)
      throws IOException, InterruptedException {
    Map<String, Reply> replies = new TreeMap<>();
    replies.put("POST /portal-links", ApiCalls.call(api, "POST", "/portal-links", tenantKey, "{}"));
    replies.put("GET /portal-links", ApiCalls.call(api, "GET", "/portal-links", tenantKey, null));
    replies.put(
        "GET /portal-links/current with an unchecked token",
        ApiCalls.call(
            api,
            "GET",
            "/portal-links/current",
            "hpl_" + UUID.randomUUID().toString().replace("-", ""),
            null));
    return replies;
  }

  /** One POST /api/v1/events with its own idempotency key; never throws. */
  private Answer publish(HeraldServerProcess server, String key, long n) {
    String body =
        "{\"type\":\"memory.created\",\"subject\":\"memory/"
            + n
            + "\",\"data\":{\"memory_id\":\""
            + n
            + "\",\"user_id\":\"u-1\"}}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.api() + "/events"))
            .timeout(CLIENT_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .header("Idempotency-Key", "outage-" + n + "-" + UUID.randomUUID())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long elapsed = millis(System.nanoTime() - started);
      int status = response.statusCode();
      String eventId = null;
      if (status == 202 || status == 200) {
        try {
          eventId = (String) JsonReader.readObject(response.body()).get("id");
        } catch (RuntimeException e) {
          eventId = "(unreadable answer: " + response.body() + ")";
        }
      }
      return new Answer(
          started,
          elapsed,
          status,
          eventId,
          response.headers().firstValue("Content-Type").orElse(null),
          response.headers().firstValue("Retry-After").orElse(null),
          status >= 300 ? response.body() : null);
    } catch (HttpTimeoutException e) {
      return new Answer(
          started, millis(System.nanoTime() - started), -1, null, null, null, "timeout: " + e);
    } catch (IOException | RuntimeException e) {
      return new Answer(
          started, millis(System.nanoTime() - started), -1, null, null, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(started, 0, -1, null, null, null, "interrupted");
    }
  }

  /** GET /health/ready now; status -1 when it does not answer within 2 s. */
  private Probe probe(HeraldServerProcess server) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Object health =
          response.body().isBlank() ? null : JsonReader.readObject(response.body()).get("status");
      return new Probe(System.nanoTime(), response.statusCode(), String.valueOf(health));
    } catch (IOException | RuntimeException e) {
      return new Probe(System.nanoTime(), -1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(System.nanoTime(), -1, "interrupted");
    }
  }

  /** The first probe since {@code since} that matches, once there is one within 5 s. */
  private static Probe awaitReadiness(
      String what, List<Probe> probes, long since, Predicate<Probe> wanted) {
    try {
      return await("readiness " + what)
          .atMost(READINESS_FOLLOWS)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> probes.stream().filter(p -> p.atNanos() >= since).filter(wanted).findFirst(),
              Optional::isPresent)
          .get();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "readiness not "
              + what
              + " within "
              + READINESS_FOLLOWS
              + "; probes since (ms, status, health): "
              + probes.stream()
                  .filter(p -> p.atNanos() >= since)
                  .map(p -> millis(p.atNanos() - since) + " " + p.status() + " " + p.health())
                  .toList(),
          e);
    }
  }

  /** Fails with the number of matching answers and the first ten of them. */
  private static void assertNone(String what, List<Answer> answers, Predicate<Answer> bad) {
    List<Answer> found = answers.stream().filter(bad).toList();
    assertThat(found.size())
        .as("%s: %d of %d, first ones: %s", what, found.size(), answers.size(), first(found, 10))
        .isZero();
  }

  private static <T> List<T> first(List<T> list, int n) {
    return list.subList(0, Math.min(n, list.size()));
  }

  /** The acknowledged events that GET /api/v1/events/{id} does not answer 200 for. */
  private static List<String> notRetrievable(String api, String key, List<String> ids)
      throws InterruptedException {
    List<String> missing = new CopyOnWriteArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(PUBLISHERS);
    try {
      for (String id : ids) {
        readers.submit(
            () -> {
              try {
                Reply reply = ApiCalls.call(api, "GET", "/events/" + id, key, null);
                if (reply.status() != 200) {
                  missing.add(id + " (" + reply.status() + ")");
                }
              } catch (IOException | RuntimeException e) {
                missing.add(id + " (" + e + ")");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
    } finally {
      readers.shutdown();
      if (!readers.awaitTermination(5, TimeUnit.MINUTES)) {
        readers.shutdownNow();
        missing.add("(not all events checked in 5 minutes)");
      }
    }
    return new ArrayList<>(missing);
  }

  private static Phase phase(Answer answer, long crashed, long restarted) {
    if (answer.startedNanos() < crashed) {
      return Phase.BEFORE;
    }
    return answer.startedNanos() < restarted ? Phase.OUTAGE : Phase.AFTER;
  }

  /** The scenario's phases last this long; the load runs meanwhile. */
  private static void holdUntil(long nanoTime) throws InterruptedException {
    long remaining = nanoTime - System.nanoTime();
    if (remaining > 0) {
      TimeUnit.NANOSECONDS.sleep(remaining);
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}

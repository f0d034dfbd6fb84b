package it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.json.JsonReader;
import it.ApiCalls.Reply;
import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API under hostile input, as an attacker sends it: a seeded, bounded fuzz of every route that
 * takes a body or parameters (truncated and malformed bodies, control characters, lone surrogates,
 * numbers and instants out of range, over-long texts, unknown and duplicate fields, bad cursors,
 * paths, media types and keys), sent byte for byte over raw sockets. No answer may be a 5xx, every
 * refusal is problem+json, every request is answered, and every event the API accepted can be read
 * back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileInputIT {
  private static final String OPERATOR = "it-operator-key";
  private static final long SEED = Long.getLong("herald.fuzz.seed", 20261128L);
  private static final int REQUESTS = Integer.getInteger("herald.fuzz.requests", 2400);
  private static final int ANSWER_TIMEOUT_MILLIS = 15_000;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  private RawHttp raw;
  private String api;
  private String apiPath;
  private String tenant;
  private String key;
  private String webhook;
  private String event;

  @BeforeEach
  void tenantWithAnEndpointAndAnEvent() throws Exception {
    RestApiIT.useApi(app);
    api = app + "api/v1";
    apiPath = app.getPath() + "api/v1";
    raw = new RawHttp(app.getHost(), app.getPort());
    tenant = "fz-" + Long.toHexString(new Random().nextLong() & 0xffffffffL);
    Reply created =
        ApiCalls.call(
            api, "POST", "/tenants", OPERATOR, "{\"id\":\"" + tenant + "\",\"name\":\"Fuzz\"}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    key = (String) created.json().get("api_key");
    // Subscribed to a type the fuzz does not publish: replays and publishes add no deliveries.
    Reply endpoint =
        ApiCalls.call(
            api,
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"http://127.0.0.1:9/fuzz\",\"event_types\":[\"quota.exceeded\"]}");
    assertThat(endpoint.status()).as(endpoint.raw().body()).isEqualTo(201);
    webhook = (String) endpoint.json().get("id");
    Reply published =
        ApiCalls.call(
            api,
            "POST",
            "/events",
            key,
            "{\"type\":\"memory.created\",\"data\":{\"memory_id\":\"1\",\"user_id\":\"u\"}}");
    assertThat(published.status()).isEqualTo(202);
    event = (String) published.json().get("id");
  }

  // --- truncated and stalled bodies
  // ---------------------------------------------------------------

  @Test
  void truncatedBodiesAreAnsweredAt400AtOnceOnEveryBodyRoute() throws Exception {
    List<String[]> routes =
        List.of(
            new String[] {"POST", "/events", key, "{\"x\":["},
            new String[] {"POST", "/events", key, "{\"type\":\"memory.created\",\"x\":{\"y\":[{"},
            new String[] {"POST", "/events/batch", key, "{\"events\":[{\"x\":["},
            new String[] {"POST", "/webhooks", key, "{\"url\":\"http://127.0.0.1:9/\",\"x\":["},
            new String[] {"PATCH", "/webhooks/" + webhook, key, "{\"x\":["},
            new String[] {"POST", "/webhooks/" + webhook + "/replay", key, "{\"since\":{"},
            new String[] {"POST", "/dead-letters/redrive", key, "{\"x\":["},
            new String[] {"POST", "/tenants", OPERATOR, "{\"id\":\"a\",\"x\":["},
            new String[] {"POST", "/tenants/" + tenant + "/api-keys", OPERATOR, "{\"x\":{"},
            new String[] {"PUT", "/admin/migration", OPERATOR, "{\"phase\":["});
    for (String[] route : routes) {
      RawHttp.Answer answer =
          raw.request(
              route[0],
              apiPath + route[1],
              Map.of("Authorization", "Bearer " + route[2], "Content-Type", "application/json"),
              route[3].getBytes(StandardCharsets.UTF_8),
              5_000);
      String what = route[0] + " " + route[1] + " " + route[3];
      assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(400);
      assertThat(answer.header("Content-Type")).as(what).startsWith("application/problem+json");
      assertThat(answer.millis()).as(what).isLessThan(1_000);
    }
    assertThat(ApiCalls.call(api, "GET", "/webhooks", key, null).status()).isEqualTo(200);
  }

  @Test
  void stalledBodiesAreCutOffWhileTheServerKeepsAnswering() throws Exception {
    // Four clients announce 100 bytes, send six and stop: each holds a request thread until the
    // read timeout (10 s); meanwhile the server answers others at once.
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket socket = new Socket(app.getHost(), app.getPort());
        socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS + 5_000);
        String head =
            "POST "
                + apiPath
                + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + key
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"x\":[";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        assertThat(ApiCalls.call(api, "GET", "/webhooks/" + webhook, key, null).status())
            .isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
      }
      for (Socket socket : stalled) {
        long start = System.nanoTime();
        byte[] answer = socket.getInputStream().readAllBytes(); // the answer, then the close
        long waited = (System.nanoTime() - start) / 1_000_000;
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertThat(waited).as("cut off after the read timeout").isLessThan(ANSWER_TIMEOUT_MILLIS);
        if (!text.isEmpty()) {
          assertThat(text).startsWith("HTTP/1.1 4").contains("application/problem+json");
        }
      }
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  // --- the fuzz ----------------------------------------------------------------------------------

  private enum Auth {
    TENANT,
    OPERATOR
  }

  /** A route: method, path with {wh} {evt} {dlv} {tenant} placeholders, parameters, body. */
  private record Route(
      String method, String path, Auth auth, List<String> params, String bodyKind) {}

  private static final List<Route> ROUTES =
      List.of(
          new Route("POST", "/events", Auth.TENANT, List.of(), "event"),
          new Route("POST", "/events/batch", Auth.TENANT, List.of(), "batch"),
          new Route("GET", "/events/{evt}", Auth.TENANT, List.of(), null),
          new Route("POST", "/webhooks", Auth.TENANT, List.of(), "webhook"),
          new Route("GET", "/webhooks", Auth.TENANT, List.of("cursor", "limit"), null),
          new Route("GET", "/webhooks/{wh}", Auth.TENANT, List.of(), null),
          new Route("PATCH", "/webhooks/{wh}", Auth.TENANT, List.of(), "patch"),
          new Route("POST", "/webhooks/{wh}/test", Auth.TENANT, List.of(), null),
          new Route(
              "GET",
              "/webhooks/{wh}/deliveries",
              Auth.TENANT,
              List.of("status", "event_type", "from", "to", "cursor", "limit"),
              null),
          new Route(
              "GET", "/webhooks/{wh}/deliveries/{dlv}/attempts", Auth.TENANT, List.of(), null),
          new Route("POST", "/webhooks/{wh}/retry/{dlv}", Auth.TENANT, List.of(), null),
          new Route("POST", "/webhooks/{wh}/replay", Auth.TENANT, List.of(), "replay"),
          new Route("GET", "/webhooks/{wh}/stats", Auth.TENANT, List.of("window"), null),
          new Route("GET", "/dead-letters", Auth.TENANT, List.of("cursor", "limit"), null),
          new Route("POST", "/dead-letters/redrive", Auth.TENANT, List.of(), "redrive"),
          new Route(
              "GET", "/insights/timeline", Auth.TENANT, List.of("endpoint_id", "window"), null),
          new Route("GET", "/insights/circuits", Auth.TENANT, List.of(), null),
          new Route("GET", "/insights/overview", Auth.OPERATOR, List.of(), null),
          new Route("POST", "/tenants", Auth.OPERATOR, List.of(), "tenant"),
          new Route("GET", "/tenants", Auth.OPERATOR, List.of(), null),
          new Route("POST", "/tenants/{tenant}/api-keys", Auth.OPERATOR, List.of(), "key"),
          new Route("GET", "/tenants/{tenant}/api-keys", Auth.OPERATOR, List.of(), null),
          new Route("PUT", "/admin/migration", Auth.OPERATOR, List.of(), "phase"),
          new Route(
              "GET",
              "/admin/migration/report",
              Auth.OPERATOR,
              List.of("since", "tenant_id", "limit"),
              null));

  /** JSON values, most of them hostile, as the text that goes into a body. */
  private static final List<String> HOSTILE_VALUES =
      List.of(
          "\"a\\u0000b\"",
          "\"a\\u001fb\"",
          "\"tab\\tand\\nnewline\"",
          "\"\\ud800\"",
          "\"x\\udc00y\"",
          "\"\\ud83d\\ude00 caf\\u00e9\"",
          "\"\\u202eevil\"",
          "\"" + "x".repeat(3_000) + "\"",
          "\"" + "y".repeat(70_000) + "\"",
          "\"\"",
          "\"   \"",
          "0",
          "-1",
          "1.5",
          "1e309",
          "-1e309",
          "1e-400",
          "123456789012345678901234567890",
          "9".repeat(120),
          "true",
          "null",
          "[]",
          "{}",
          "[1,\"two\",null]",
          "{\"a\":{\"b\":[null,{}]}}",
          "\"+999999999-12-31T23:59:59Z\"",
          "\"-999999999-01-01T00:00:00Z\"",
          "\"0000-01-01T00:00:00Z\"",
          "\"2026-11-28T00:00:00Z\"",
          "\"9223372036854775807\"",
          "\"' OR 1=1 --\"",
          "\"../../etc/passwd\"",
          "\"<script>alert(1)</script>\"",
          "\"memory.*\"",
          "\"webhook_only\"",
          "\"REDIS-ONLY\"",
          "\"dual \"",
          "\"http://169.254.169.254/latest\"",
          "\"http://127.0.0.1:9/ok\"");

  /** Whole bodies that are not JSON objects, or not JSON at all. */
  private static final List<byte[]> HOSTILE_BODIES =
      List.of(
          new byte[0],
          bytes(" "),
          bytes("null"),
          bytes("[]"),
          bytes("\"text\""),
          bytes("{"),
          bytes("{\"a\":"),
          bytes("{\"a\":1,}"),
          bytes("{'a':1}"),
          bytes("{\"a\":1}{\"b\":2}"),
          bytes("{\"a\":01}"),
          bytes("[".repeat(5_000)),
          bytes("{\"a\":".repeat(2_000)),
          bytes("\ufeff{\"type\":\"memory.created\"}"),
          new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'},
          new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'},
          bytes("{\"a\":\"" + "z".repeat(300_000) + "\"}"));

  private static final List<String> HOSTILE_PARAMS =
      List.of(
          "",
          "abc",
          "-1",
          "0",
          "101",
          "99999999999999999999",
          "1.5",
          "9223372036854775807",
          "-1h",
          "0s",
          "1y",
          "PT-5H",
          "garbage",
          "MjAyNi0xMS0yOFQwMDowMDowMFp8AA",
          "x".repeat(3_000),
          "+999999999-12-31T23:59:59Z",
          "2026-02-30T00:00:00Z",
          "\u0000",
          "\u0007bell",
          "\ud83d\ude00",
          "dead",
          "DEAD",
          "succeeded",
          "24h",
          "2026-11-01T00:00:00Z");

  /** Raw query text that no encoder would produce. */
  private static final List<String> RAW_QUERIES =
      List.of("limit=%ZZ", "cursor=%", "event_type=%C3%28", "window=%E0%A4", "limit", "=x", "&&&");

  /** Path segments in place of an id. */
  private static final List<String> HOSTILE_SEGMENTS =
      List.of(
          "%2e%2e",
          "..%2F",
          "%2e",
          "wh_%2fx",
          "a%5cb",
          "%C3%28",
          "%F0%9F%98%80",
          "x".repeat(300),
          "wh_" + "0".repeat(26),
          "dlv_missing",
          "evt_missing",
          "'%20OR%201=1",
          "%20",
          "a;b=c",
          "%ZZ",
          "%00",
          "a%1Fb",
          "%7F");

  /**
   * Segments that Liberty's web container refuses while it decodes and canonicalizes the path
   * (Servlet 6.0, 3.5.2), before any application is chosen: its own {@code 400 text/html} answers
   * them, which no WAR can shape. They are sent too, and must be refused, at once.
   */
  private static final List<String> CONTAINER_SEGMENTS = List.of("%ZZ", "%00", "a%1Fb", "%7F");

  private static final List<String> HOSTILE_CONTENT_TYPES =
      List.of(
          "application/json, text/plain",
          "text/plain",
          "application/json; charset=latin1",
          "application/xml",
          "application",
          "*/*",
          ";;;",
          "application/json; =");

  @Test
  void hostileRequestsGetProblemsNeverA5xxAndAcceptedEventsStayRetrievable() throws Exception {
    Random random = new Random(SEED);
    List<Request> requests = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(request(random, i));
    }
    Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    accepted.add(event);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long start = System.nanoTime();
    try {
      // The fuzz sets the global phase now and then: back to the configured one afterwards.
      List<Future<?>> sent = new ArrayList<>();
      for (Request request : requests) {
        sent.add(pool.submit(() -> send(request, byStatus, failures, accepted)));
      }
      for (Future<?> future : sent) {
        future.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      ApiCalls.call(api, "DELETE", "/admin/migration", OPERATOR, null);
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000;

    List<String> missing = new ArrayList<>();
    for (String id : accepted) {
      Reply reply = ApiCalls.call(api, "GET", "/events/" + id, key, null);
      if (reply.status() != 200) {
        missing.add(id + " -> " + reply.status());
      }
    }
    Reply ready =
        ApiCalls.call(
            app.getProtocol() + "://" + app.getAuthority(), "GET", "/health/ready", null, null);
    System.out.printf(
        "HostileInputIT: %d requests (seed %d) in %d s, by status %s; %d accepted events, %d not"
            + " retrievable; readiness %d%n",
        REQUESTS,
        SEED,
        seconds,
        new TreeMap<>(byStatus),
        accepted.size(),
        missing.size(),
        ready.status());
    assertThat(failures).as("requests answered wrongly (first 20 shown)").isEmpty();
    assertThat(missing).as("accepted events that cannot be read back").isEmpty();
    assertThat(ready.status()).as(ready.raw().body()).isEqualTo(200);
    assertThat(byStatus.keySet())
        .as("some requests were accepted, some refused")
        .contains("202", "400", "422");
  }

  private record Request(String description, String path, String head, byte[] body, Route route) {}

  private final AtomicInteger containerRefusals = new AtomicInteger();

  private void send(
      Request request,
      Map<String, AtomicInteger> byStatus,
      ConcurrentLinkedQueue<String> failures,
      ConcurrentLinkedQueue<String> accepted) {
    RawHttp.Answer answer;
    try {
      answer = raw.send(request.head(), request.body(), ANSWER_TIMEOUT_MILLIS);
    } catch (IOException e) {
      fail(failures, request, "no answer: " + e);
      return;
    }
    byStatus
        .computeIfAbsent(Integer.toString(answer.status()), s -> new AtomicInteger())
        .incrementAndGet();
    if (answer.status() < 100) {
      fail(failures, request, "the server closed without answering: " + answer.body());
    } else if (answer.status() >= 500) {
      fail(failures, request, answer.status() + " " + answer.body());
    } else if (CONTAINER_SEGMENTS.stream().anyMatch(request.path()::contains)
        && answer.status() == 400) {
      containerRefusals.incrementAndGet();
    } else if (answer.status() >= 400) {
      String type = answer.header("Content-Type");
      if (type == null || !type.startsWith("application/problem+json")) {
        fail(failures, request, answer.status() + " as " + type + ": " + answer.body());
      } else {
        Object status = JsonReader.readObject(answer.body()).get("status");
        if (!Long.valueOf(answer.status()).equals(status)) {
          fail(failures, request, "problem status " + status + " for " + answer.status());
        }
      }
    } else if (request.route().path().startsWith("/events")
        && request.route().method().equals("POST")) {
      Map<String, Object> json = JsonReader.readObject(answer.body());
      if (json.get("id") instanceof String id) {
        accepted.add(id);
      }
      if (json.get("items") instanceof List<?> items) {
        for (Object item : items) {
          accepted.add((String) ((Map<?, ?>) item).get("id"));
        }
      }
    }
  }

  private static void fail(ConcurrentLinkedQueue<String> failures, Request request, String what) {
    if (failures.size() < 20) {
      String description = request.description();
      failures.add(
          (description.length() > 300 ? description.substring(0, 300) + "..." : description)
              + " => "
              + (what.length() > 400 ? what.substring(0, 400) + "..." : what));
    }
  }

  private Request request(Random random, int index) {
    Route route = ROUTES.get(random.nextInt(ROUTES.size()));
    String path = route.path();
    path = path.replace("{wh}", segment(random, webhook));
    path = path.replace("{evt}", segment(random, event));
    path = path.replace("{dlv}", segment(random, "dlv_" + Long.toHexString(random.nextLong())));
    path = path.replace("{tenant}", segment(random, tenant));
    String query = query(random, route);
    Map<String, String> headers = new LinkedHashMap<>();
    String credential = route.auth() == Auth.OPERATOR ? OPERATOR : key;
    int auth = random.nextInt(40);
    if (auth == 0) {
      credential = null;
    } else if (auth == 1) {
      credential = "hrk_" + "z".repeat(random.nextInt(2) == 0 ? 10 : 5_000);
    } else if (auth == 2) {
      credential = route.auth() == Auth.OPERATOR ? key : OPERATOR;
    }
    if (credential != null) {
      headers.put("Authorization", (auth == 3 ? "Basic " : "Bearer ") + credential);
    }
    byte[] body =
        route.bodyKind() == null && random.nextInt(10) > 0 ? null : body(random, route, index);
    if (body != null) {
      headers.put(
          "Content-Type",
          random.nextInt(8) == 0
              ? HOSTILE_CONTENT_TYPES.get(random.nextInt(HOSTILE_CONTENT_TYPES.size()))
              : "application/json");
    }
    if (random.nextInt(30) == 0) {
      headers.put("Accept", random.nextBoolean() ? "garbage///" : "text/html");
    }
    if (route.bodyKind() != null && route.bodyKind().equals("event") && random.nextInt(6) == 0) {
      headers.put(
          "Idempotency-Key",
          List.of("k\u0001x", "x".repeat(400), "fz-" + index, " ", "k\u007f")
              .get(random.nextInt(5)));
    }
    StringBuilder head = new StringBuilder();
    head.append(route.method()).append(' ').append(apiPath).append(path).append(query);
    head.append(" HTTP/1.1\r\nHost: ").append(app.getHost()).append(':').append(app.getPort());
    head.append("\r\nConnection: close");
    headers.forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
    if (body != null) {
      head.append("\r\nContent-Length: ").append(body.length);
    }
    String description =
        route.method()
            + " "
            + path
            + query
            + " "
            + headers.keySet()
            + (body == null ? "" : " " + new String(body, StandardCharsets.UTF_8));
    return new Request(description, path, head.toString(), body, route);
  }

  private static String segment(Random random, String real) {
    return random.nextInt(6) == 0
        ? HOSTILE_SEGMENTS.get(random.nextInt(HOSTILE_SEGMENTS.size()))
        : real;
  }

  private String query(Random random, Route route) {
    if (route.params().isEmpty() || random.nextInt(3) == 0) {
      return "";
    }
    if (random.nextInt(10) == 0) {
      return "?" + RAW_QUERIES.get(random.nextInt(RAW_QUERIES.size()));
    }
    List<String> parts = new ArrayList<>();
    for (String name : route.params()) {
      if (random.nextBoolean()) {
        String value = HOSTILE_PARAMS.get(random.nextInt(HOSTILE_PARAMS.size()));
        if (name.equals("endpoint_id") && random.nextBoolean()) {
          value = webhook;
        } else if (name.equals("tenant_id") && random.nextBoolean()) {
          value = tenant;
        }
        parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    if (random.nextInt(10) == 0) {
      parts.add("unknown=1");
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  private byte[] body(Random random, Route route, int index) {
    if (route.bodyKind() == null || random.nextInt(8) == 0) {
      byte[] hostile = HOSTILE_BODIES.get(random.nextInt(HOSTILE_BODIES.size()));
      return hostile;
    }
    Map<String, String> fields = baseline(route.bodyKind(), index);
    int mutations = random.nextInt(4);
    boolean duplicate = false;
    List<String> names = new ArrayList<>(fields.keySet());
    for (int m = 0; m < mutations; m++) {
      int kind = random.nextInt(10);
      if (kind < 6 && !names.isEmpty()) {
        fields.put(names.get(random.nextInt(names.size())), hostileValue(random));
      } else if (kind == 6) {
        fields.put("unknown_" + random.nextInt(3), hostileValue(random));
      } else if (kind == 7 && !names.isEmpty()) {
        fields.remove(names.get(random.nextInt(names.size())));
      } else if (kind == 8 && fields.containsKey("data")) {
        fields.put(
            "data",
            "{\"memory_id\":"
                + hostileValue(random)
                + ",\"user_id\":\"u\",\"importance\":"
                + hostileValue(random)
                + "}");
      } else {
        duplicate = true;
      }
    }
    StringBuilder json = new StringBuilder("{");
    fields.forEach(
        (name, value) -> {
          if (json.length() > 1) {
            json.append(',');
          }
          json.append('"').append(name).append("\":").append(value);
        });
    if (duplicate && !fields.isEmpty()) {
      json.append(",\"").append(fields.keySet().iterator().next()).append("\":1");
    }
    json.append('}');
    byte[] bytes = bytes(json.toString());
    if (random.nextInt(10) == 0 && bytes.length > 2) {
      // Truncated somewhere inside.
      byte[] cut = new byte[1 + random.nextInt(bytes.length - 1)];
      System.arraycopy(bytes, 0, cut, 0, cut.length);
      return cut;
    }
    return bytes;
  }

  private static String hostileValue(Random random) {
    return HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()));
  }

  private Map<String, String> baseline(String kind, int index) {
    Map<String, String> fields = new LinkedHashMap<>();
    String event =
        "{\"type\":\"memory.created\",\"subject\":\"memory/"
            + index
            + "\",\"data\":{\"memory_id\":\""
            + index
            + "\",\"user_id\":\"u-1\"}}";
    switch (kind) {
      case "event" -> {
        fields.put("type", "\"memory.created\"");
        fields.put("subject", "\"memory/" + index + "\"");
        fields.put("idempotency_key", "\"fz-" + SEED + "-" + index + "\"");
        fields.put("data", "{\"memory_id\":\"" + index + "\",\"user_id\":\"u-1\"}");
        fields.put("metadata", "{\"source\":\"fuzz\"}");
      }
      case "batch" ->
          fields.put("events", "[" + event + "," + event.replace("memory/", "m2/") + "]");
      case "webhook" -> {
        fields.put("url", "\"http://127.0.0.1:9/fz\"");
        fields.put("event_types", "[\"quota.exceeded\"]");
        fields.put("description", "\"fuzz\"");
        fields.put("custom_headers", "{\"X-Fuzz\":\"1\"}");
        fields.put("max_in_flight", "5");
      }
      case "patch" -> {
        fields.put("description", "\"patched\"");
        fields.put("max_in_flight", "7");
      }
      case "replay" -> fields.put("since", "\"2026-11-28T00:00:00Z\"");
      case "redrive" -> {
        fields.put("event_type", "\"memory.created\"");
        fields.put("from", "\"2026-01-01T00:00:00Z\"");
      }
      case "tenant" -> {
        fields.put("id", "\"fz-t" + index + "-" + Long.toHexString(SEED) + "\"");
        fields.put("name", "\"Fuzz tenant\"");
      }
      case "key" -> fields.put("description", "\"fuzz key\"");
      case "phase" -> fields.put("phase", "\"webhook-only\"");
      default -> throw new IllegalArgumentException(kind);
    }
    return fields;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

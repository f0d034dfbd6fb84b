package dev.herald.webhooks.transport.redis;

import static dev.herald.webhooks.transport.redis.RedisFixtures.config;
import static dev.herald.webhooks.transport.redis.RedisFixtures.envelope;
import static dev.herald.webhooks.transport.redis.RedisFixtures.freePort;
import static dev.herald.webhooks.transport.redis.RedisFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.core.tls.TrustManagers;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The transport against Redis as production runs it, with real redis-server processes the test
 * starts on loopback ports: TLS ({@code rediss://} with a test CA), Sentinel (a master, a replica
 * and three sentinels, with a failover while publishing) and Cluster (three masters). Each run
 * delivers in streams and pub/sub mode and checks that every event arrived.
 */
class RedisTopologiesIT {
  private static final String SERVER = PrivateRedis.SERVER;

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<PrivateRedis> servers = new ArrayList<>();

  @AfterEach
  void stopEveryServer() throws InterruptedException {
    servers.forEach(PrivateRedis::stop);
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  // ------------------------------------------------------------------------------------ TLS

  @Test
  void tlsDeliversWithTheConfiguredCaAndRefusesAServerItCannotTrustOrThatIsNotNamed()
      throws Exception {
    Path cert = dir.resolve("redis.crt");
    Path key = dir.resolve("redis.key");
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
    int port = freePort();
    start(
        "tls-" + port,
        List.of(
            "--port",
            "0",
            "--tls-port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1 127.0.0.2",
            "--tls-cert-file",
            cert.toString(),
            "--tls-key-file",
            key.toString(),
            "--tls-ca-cert-file",
            cert.toString(),
            "--tls-auth-clients",
            "no"),
        () -> tlsJedis(port, cert).ping().equals("PONG"));
    String tenant = "tls-" + port;

    try (Jedis reader = tlsJedis(port, cert);
        Subscriber subscriber =
            Subscriber.on(tlsJedis(port, cert), "herald:" + tenant + ":memory.created");
        Transport transport =
            transport(
                "rediss://127.0.0.1:" + port,
                Map.of(RedisTransportSettings.TLS_CA_FILE, cert.toString()))) {
      for (int i = 0; i < 20; i++) {
        assertThat(send(transport, tenant, i)).isInstanceOf(SendOutcome.Succeeded.class);
      }
      assertThat(ids(reader, "herald:events:" + tenant)).hasSize(20);
      assertThat(subscriber.awaitMessages(20)).hasSize(20);
    }
    try (Transport untrusting = transport("rediss://127.0.0.1:" + port, Map.of())) {
      SendOutcome outcome = send(untrusting, tenant, 99);
      assertThat(outcome)
          .as("a certificate no trusted CA signed")
          .isInstanceOf(SendOutcome.Retry.class);
    }
    try (Jedis noNameCheck = tlsJedis("127.0.0.2", port, cert)) {
      assertThat(noNameCheck.ping()).as("the server answers on 127.0.0.2").isEqualTo("PONG");
    }
    try (Transport wrongName =
        transport(
            "rediss://127.0.0.2:" + port,
            Map.of(RedisTransportSettings.TLS_CA_FILE, cert.toString()))) {
      SendOutcome outcome = send(wrongName, tenant, 98);
      assertThat(outcome)
          .as("a certificate that does not name 127.0.0.2")
          .isInstanceOf(SendOutcome.Retry.class);
    }
  }

  private static Jedis tlsJedis(int port, Path ca) {
    return tlsJedis("127.0.0.1", port, ca);
  }

  /** Trusts {@code ca} but does not check the host name. */
  private static Jedis tlsJedis(String host, int port, Path ca) {
    return new Jedis(
        new HostAndPort(host, port),
        DefaultJedisClientConfig.builder()
            .ssl(true)
            .sslSocketFactory(
                TrustManagers.sslContext(Optional.of(ca), "test CA").getSocketFactory())
            .sslParameters(new javax.net.ssl.SSLParameters())
            .build());
  }

  // ------------------------------------------------------------------------------- Sentinel

  @Test
  void sentinelFailoverWhilePublishingLosesNothing() throws Exception {
    int master = freePort();
    int replica = freePort();
    startNode(master, List.of());
    startNode(replica, List.of("--replicaof", "127.0.0.1", String.valueOf(master)));
    await("replica in sync")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> info(replica, "replication").contains("master_link_status:up"));
    List<Integer> sentinels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = freePort();
      Path conf = dir.resolve("sentinel-" + port + ".conf");
      Files.writeString(
          conf,
          "port "
              + port
              + "\nbind 127.0.0.1\n"
              + "sentinel monitor herald-master 127.0.0.1 "
              + master
              + " 2\n"
              + "sentinel down-after-milliseconds herald-master 1000\n"
              + "sentinel failover-timeout herald-master 10000\n");
      startProcess(
          "sentinel-" + port, List.of(SERVER, conf.toString(), "--sentinel"), () -> ping(port));
      sentinels.add(port);
    }
    await("sentinels know each other and the replica")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              try (Jedis s = new Jedis("127.0.0.1", sentinels.get(0))) {
                return s.sentinelSentinels("herald-master").size() == 2
                    && s.sentinelReplicas("herald-master").size() == 1;
              }
            });
    String url =
        "redis-sentinel://127.0.0.1:"
            + sentinels.get(0)
            + ",127.0.0.1:"
            + sentinels.get(1)
            + ",127.0.0.1:"
            + sentinels.get(2)
            + "/herald-master";
    String tenant = "sentinel-" + master;

    try (Transport transport = transport(url, Map.of())) {
      try (Subscriber subscriber =
          Subscriber.on(new Jedis("127.0.0.1", master), "herald:" + tenant + ":memory.created")) {
        assertThat(send(transport, tenant, -1)).isInstanceOf(SendOutcome.Succeeded.class);
        assertThat(subscriber.awaitMessages(1)).hasSize(1);
      }

      AtomicInteger next = new AtomicInteger();
      AtomicInteger retried = new AtomicInteger();
      AtomicBoolean failedOver = new AtomicBoolean();
      CompletableFuture<Void> publishing =
          CompletableFuture.runAsync(
              () -> {
                int afterFailover = 0;
                while (afterFailover < 100) {
                  int i = next.getAndIncrement();
                  // As the outbox does: a delivery is sent again until Redis took it.
                  while (!(send(transport, tenant, i) instanceof SendOutcome.Succeeded)) {
                    retried.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                  }
                  if (failedOver.get()) {
                    afterFailover++;
                  }
                }
              });
      await().atMost(Duration.ofSeconds(30)).until(() -> next.get() >= 100);
      // SHUTDOWN waits for the replica to catch up (Redis 7), as an orderly failover does.
      try (Jedis old = new Jedis("127.0.0.1", master)) {
        old.shutdown();
      } catch (RuntimeException closedByTheShutdown) {
        // SHUTDOWN closes the connection instead of answering.
      }
      await("the sentinels promote the replica")
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> {
                try (Jedis s = new Jedis("127.0.0.1", sentinels.get(1))) {
                  return s.sentinelGetMasterAddrByName("herald-master")
                      .equals(List.of("127.0.0.1", String.valueOf(replica)));
                }
              });
      failedOver.set(true);
      publishing.get(2, TimeUnit.MINUTES);

      Set<String> expected = new HashSet<>();
      expected.add("evt_-1");
      for (int i = 0; i < next.get(); i++) {
        expected.add("evt_" + i);
      }
      try (Jedis promoted = new Jedis("127.0.0.1", replica)) {
        assertThat(new HashSet<>(ids(promoted, "herald:events:" + tenant)))
            .as("every event on the promoted replica (%d sends retried)", retried.get())
            .isEqualTo(expected);
      }
      assertThat(retried.get()).as("the failover was noticed").isPositive();
    }
  }

  // -------------------------------------------------------------------------------- Cluster

  @Test
  void aThreeMasterClusterTakesEveryTenantsStreamAndPubSub() throws Exception {
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = freePort();
      startNode(
          port,
          List.of(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              dir.resolve("nodes-" + port + ".conf").toString(),
              "--cluster-node-timeout",
              "2000",
              "--dir",
              dir.toString()));
      nodes.add(port);
    }
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    nodes.forEach(p -> create.add("127.0.0.1:" + p));
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    run(create.toArray(String[]::new));
    for (int port : nodes) {
      await("cluster state ok on " + port)
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                  return j.clusterInfo().contains("cluster_state:ok");
                }
              });
    }
    String url = "redis-cluster://127.0.0.1:" + nodes.get(0) + ",127.0.0.1:" + nodes.get(1);
    List<String> tenants = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      tenants.add("cluster-tenant-" + t);
    }

    try (Subscriber subscriber =
            Subscriber.on(
                new Jedis("127.0.0.1", nodes.get(2)),
                "herald:" + tenants.get(0) + ":memory.created");
        Transport transport = transport(url, Map.of())) {
      for (String tenant : tenants) {
        for (int i = 0; i < 5; i++) {
          assertThat(send(transport, tenant, i)).isInstanceOf(SendOutcome.Succeeded.class);
        }
      }
      assertThat(subscriber.awaitMessages(5)).as("PUBLISH reaches every node").hasSize(5);
    }
    Map<Integer, Integer> streamsPerNode = new HashMap<>();
    for (String tenant : tenants) {
      String key = "herald:events:" + tenant;
      int owner = ownerOf(nodes, key);
      try (Jedis j = new Jedis("127.0.0.1", owner)) {
        assertThat(ids(j, key))
            .as(key)
            .containsExactlyInAnyOrder("evt_0", "evt_1", "evt_2", "evt_3", "evt_4");
      }
      streamsPerNode.merge(owner, 1, Integer::sum);
    }
    assertThat(streamsPerNode)
        .as("the tenants' streams are spread over the masters")
        .hasSizeGreaterThan(1);
  }

  private static int ownerOf(List<Integer> nodes, String key) {
    for (int port : nodes) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        long slot = j.clusterKeySlot(key);
        if (j.clusterCountKeysInSlot((int) slot) > 0) {
          return port;
        }
      }
    }
    throw new AssertionError("no node holds " + key);
  }

  // -------------------------------------------------------------------------------- helpers

  private static Transport transport(String url, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put(RedisTransportSettings.MODE, "both");
    values.put(RedisTransportSettings.CIRCUIT_OPEN_DURATION, "200ms");
    values.put(RedisTransportSettings.TIMEOUT, "1s");
    return new RedisTransportProvider().create(config(url, values));
  }

  private static SendOutcome send(Transport transport, String tenant, int n) {
    String id = "evt_" + n;
    return transport.send(
        message(
            id,
            "memory.created",
            tenant,
            envelope(id, "memory.created", tenant, "{\"memory_id\":\"" + n + "\"}")));
  }

  private static List<String> ids(Jedis jedis, String stream) {
    List<String> ids = new ArrayList<>();
    for (StreamEntry e : jedis.xrange(stream, (StreamEntryID) null, (StreamEntryID) null)) {
      ids.add(e.getFields().get("id"));
    }
    return ids;
  }

  private static String info(int port, String section) {
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      return j.info(section);
    }
  }

  private static boolean ping(int port) {
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      return "PONG".equals(j.ping());
    }
  }

  /** A plain node (master, replica or cluster node), stopped after the test. */
  private void startNode(int port, List<String> extra) {
    PrivateRedis node = new PrivateRedis(port, extra.toArray(String[]::new));
    servers.add(node);
    node.start();
  }

  private void start(String name, List<String> args, Supplier<Boolean> ready) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SERVER);
    command.addAll(args);
    startProcess(name, command, ready);
  }

  private void startProcess(String name, List<String> command, Supplier<Boolean> ready)
      throws IOException {
    File log = new File("target/redis-topologies-" + name + ".log");
    processes.add(
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start());
    await(name + " answers")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(ready::get);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }
}

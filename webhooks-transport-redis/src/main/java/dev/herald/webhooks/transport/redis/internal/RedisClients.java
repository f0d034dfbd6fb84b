package dev.herald.webhooks.transport.redis.internal;

import dev.herald.webhooks.core.tls.TrustManagers;
import dev.herald.webhooks.transport.redis.RedisTransportSettings;
import dev.herald.webhooks.transport.redis.RedisUrl;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/** Builds the Jedis 8 client for a {@link RedisUrl}'s topology, with bounded pool and timeouts. */
public final class RedisClients {

  static final String CLIENT_NAME = "herald-webhooks";
  // Cluster commands follow MOVED/ASK and retry dead nodes; bound how often.
  static final int CLUSTER_MAX_ATTEMPTS = 3;

  private RedisClients() {}

  /**
   * Creates the client. Sentinel and Cluster clients contact their nodes here; a standalone client
   * connects on first use.
   *
   * @throws RuntimeException (a Jedis exception) when Sentinel or Cluster nodes cannot be reached
   */
  public static UnifiedJedis create(RedisTransportSettings settings) {
    RedisUrl url = settings.url();
    JedisClientConfig config = clientConfig(settings);
    ConnectionPoolConfig pool = poolConfig(settings);
    return switch (url.topology()) {
      case STANDALONE ->
          RedisClient.builder()
              .hostAndPort(hostAndPort(url.nodes().get(0)))
              .clientConfig(config)
              .poolConfig(pool)
              .build();
      case SENTINEL ->
          RedisSentinelClient.builder()
              .masterName(url.masterName())
              .sentinels(hostsAndPorts(url))
              .clientConfig(config)
              .sentinelClientConfig(sentinelConfig(settings))
              .poolConfig(pool)
              .build();
      case CLUSTER ->
          RedisClusterClient.builder()
              .nodes(hostsAndPorts(url))
              .clientConfig(config)
              .poolConfig(pool)
              .maxAttempts(CLUSTER_MAX_ATTEMPTS)
              .maxTotalRetriesDuration(settings.timeout())
              .build();
    };
  }

  /**
   * Credentials, database, TLS (trusting the JVM's store and {@code tls.ca-file}, and checking that
   * the certificate names the host) and both timeouts of the data connections.
   */
  public static JedisClientConfig clientConfig(RedisTransportSettings settings) {
    RedisUrl url = settings.url();
    int timeout = Math.toIntExact(settings.timeout().toMillis());
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeout)
            .socketTimeoutMillis(timeout)
            .user(url.user())
            .password(url.password())
            .database(url.database())
            .ssl(url.tls())
            .clientName(CLIENT_NAME);
    if (url.tls()) {
      // The certificate must name the host connected to, as HTTPS checks it.
      SSLParameters verifyingHostname = new SSLParameters();
      verifyingHostname.setEndpointIdentificationAlgorithm("HTTPS");
      config
          .sslSocketFactory(
              TrustManagers.sslContext(
                      Optional.ofNullable(settings.tlsCaFile()), RedisTransportSettings.TLS_CA_FILE)
                  .getSocketFactory())
          .sslParameters(verifyingHostname);
    }
    return config.build();
  }

  /**
   * A bounded pool: Jedis' default waits forever for a free connection; here a send waits at most
   * {@code pool.max-wait}.
   */
  public static ConnectionPoolConfig poolConfig(RedisTransportSettings settings) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.poolMaxTotal());
    pool.setMaxIdle(settings.poolMaxTotal());
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(settings.poolMaxWait());
    return pool;
  }

  // Sentinels usually run without the master's ACL user; they get the timeouts only.
  private static JedisClientConfig sentinelConfig(RedisTransportSettings settings) {
    int timeout = Math.toIntExact(settings.timeout().toMillis());
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeout)
        .socketTimeoutMillis(timeout)
        .clientName(CLIENT_NAME)
        .build();
  }

  private static Set<HostAndPort> hostsAndPorts(RedisUrl url) {
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    url.nodes().forEach(n -> nodes.add(hostAndPort(n)));
    return nodes;
  }

  private static HostAndPort hostAndPort(RedisUrl.Node node) {
    return new HostAndPort(node.host(), node.port());
  }
}

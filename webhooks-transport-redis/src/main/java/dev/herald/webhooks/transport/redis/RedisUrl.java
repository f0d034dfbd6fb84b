package dev.herald.webhooks.transport.redis;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is and how to log in, parsed from {@code REDIS_URL} ({@code redis.url}). Accepted
 * forms:
 *
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/db]} — one server; {@code rediss://} for TLS
 *   <li>{@code redis-sentinel://[[user]:password@]host:port,host:port/mastername} — Sentinel; the
 *       credentials are the master's
 *   <li>{@code redis-cluster://[[user]:password@]host:port,host:port} or a bare list {@code
 *       host:port,host:port} of two or more nodes — Cluster
 * </ul>
 *
 * <p>User and password are percent-decoded. {@link #toString} masks the password. Immutable.
 *
 * @param topology one server, Sentinel or Cluster
 * @param nodes the server, the sentinels, or the cluster seed nodes
 * @param user the ACL user, or null for the default user
 * @param password the password, or null for none
 * @param database the database index (standalone and Sentinel), 0 by default
 * @param tls whether to connect with TLS ({@code rediss://})
 * @param masterName the Sentinel master name, or null for other topologies
 */
public record RedisUrl(
    Topology topology,
    List<Node> nodes,
    String user,
    String password,
    int database,
    boolean tls,
    String masterName) {

  /** The configuration key; the environment variable is {@code REDIS_URL}. */
  public static final String KEY = "redis.url";

  /** How the key is named in messages. */
  public static final String KEY_NAME = "REDIS_URL (" + KEY + ")";

  /** The accepted forms, for messages. */
  public static final String FORMS =
      "redis://[[user]:password@]host:port[/db], rediss://... (TLS),"
          + " redis-sentinel://[[user]:password@]host:port,host:port/mastername,"
          + " redis-cluster://[[user]:password@]host:port,host:port or host:port,host:port"
          + " (Cluster); percent-encode special characters in user and password";

  static final int DEFAULT_PORT = 6379;
  static final int DEFAULT_SENTINEL_PORT = 26379;

  /** The three ways Redis can be deployed. */
  public enum Topology {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  /** One host and port. */
  public record Node(String host, int port) {
    public Node {
      Objects.requireNonNull(host, "host");
      if (host.isEmpty()) {
        throw new IllegalArgumentException("empty host");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
      }
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public RedisUrl {
    Objects.requireNonNull(topology, "topology");
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one host is needed");
    }
    if (topology == Topology.STANDALONE && nodes.size() != 1) {
      throw new IllegalArgumentException("a single server URL names one host");
    }
    if (topology == Topology.SENTINEL && (masterName == null || masterName.isEmpty())) {
      throw new IllegalArgumentException("a Sentinel URL needs the master name as its path");
    }
    if (topology != Topology.SENTINEL && masterName != null) {
      throw new IllegalArgumentException("only a Sentinel URL has a master name");
    }
    if (database < 0) {
      throw new IllegalArgumentException("the database index must be >= 0");
    }
    if (topology == Topology.CLUSTER && database != 0) {
      throw new IllegalArgumentException("Redis Cluster has only database 0");
    }
  }

  /**
   * Parses a URL in one of the accepted forms.
   *
   * @throws IllegalArgumentException naming {@code REDIS_URL (redis.url)} and the accepted forms;
   *     the message never contains the password
   */
  public static RedisUrl parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.strip();
    try {
      return parseUnchecked(trimmed);
    } catch (IllegalArgumentException e) {
      // Deliberately no cause: a cause's message could quote the password.
      throw new IllegalArgumentException(
          KEY_NAME
              + " '"
              + redact(trimmed)
              + "' is invalid ("
              + e.getMessage()
              + "); accepted forms: "
              + FORMS);
    }
  }

  /** The URL as text with the password replaced by {@code ****}. */
  public String redacted() {
    StringBuilder out = new StringBuilder();
    out.append(
        switch (topology) {
          case STANDALONE -> tls ? "rediss://" : "redis://";
          case SENTINEL -> "redis-sentinel://";
          case CLUSTER -> "redis-cluster://";
        });
    if (password != null) {
      out.append(user == null ? "" : user).append(":****@");
    }
    for (int i = 0; i < nodes.size(); i++) {
      out.append(i == 0 ? "" : ",").append(nodes.get(i));
    }
    if (topology == Topology.SENTINEL) {
      out.append('/').append(masterName);
    } else if (database != 0) {
      out.append('/').append(database);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return redacted();
  }

  /** Masks the user information of a URL that may not parse: everything after the first ':'. */
  static String redact(String text) {
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return text;
    }
    int schemeEnd = text.indexOf("://");
    int start = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
    String userInfo = text.substring(start, at);
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    return text.substring(0, start) + masked + text.substring(at);
  }

  private static RedisUrl parseUnchecked(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    int schemeEnd = text.indexOf("://");
    if (schemeEnd < 0) {
      if (text.indexOf('@') >= 0) {
        throw new IllegalArgumentException(
            "a bare host:port list cannot carry credentials; use redis-cluster://");
      }
      List<Node> nodes = nodes(text, DEFAULT_PORT, true);
      if (nodes.size() < 2) {
        throw new IllegalArgumentException(
            "a bare host:port list is a Cluster and needs two or more nodes; use redis://"
                + " for one server");
      }
      return new RedisUrl(Topology.CLUSTER, nodes, null, null, 0, false, null);
    }
    String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = text.substring(schemeEnd + 3);
    String user = null;
    String password = null;
    // The last '@' ends the user information, so an unencoded '/' or '@' in a password cannot
    // move the split and end up quoted in a message about the host or path.
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "the user information must be [user]:password, with a ':' before the password");
      }
      user = userInfo.substring(0, colon).isEmpty() ? null : decode(userInfo.substring(0, colon));
      password = decode(userInfo.substring(colon + 1));
      rest = rest.substring(at + 1);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    Optional<String> path = slash < 0 ? Optional.empty() : Optional.of(rest.substring(slash + 1));
    switch (scheme) {
      case "redis", "rediss" -> {
        List<Node> nodes = nodes(authority, DEFAULT_PORT, false);
        if (nodes.size() != 1) {
          throw new IllegalArgumentException(
              "redis:// names one host; use redis-cluster:// or redis-sentinel:// for several");
        }
        int db = path.map(RedisUrl::database).orElse(0);
        return new RedisUrl(
            Topology.STANDALONE, nodes, user, password, db, scheme.equals("rediss"), null);
      }
      case "redis-sentinel" -> {
        String master = path.orElse("");
        if (master.isEmpty() || master.contains("/")) {
          throw new IllegalArgumentException("the path must be the Sentinel master name");
        }
        return new RedisUrl(
            Topology.SENTINEL,
            nodes(authority, DEFAULT_SENTINEL_PORT, false),
            user,
            password,
            0,
            false,
            master);
      }
      case "redis-cluster" -> {
        if (path.isPresent() && !path.get().isEmpty()) {
          throw new IllegalArgumentException("a Cluster URL has no path (Cluster has only db 0)");
        }
        return new RedisUrl(
            Topology.CLUSTER,
            nodes(authority, DEFAULT_PORT, false),
            user,
            password,
            0,
            false,
            null);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown scheme '"
                  + scheme
                  + "'; use redis, rediss, redis-sentinel or redis-cluster");
    }
  }

  private static int database(String path) {
    if (path.isEmpty()) {
      return 0;
    }
    if (!path.chars().allMatch(c -> c >= '0' && c <= '9') || path.length() > 5) {
      throw new IllegalArgumentException("the path must be a database index such as /0 or /3");
    }
    return Integer.parseInt(path);
  }

  private static List<Node> nodes(String list, int defaultPort, boolean requirePort) {
    List<Node> nodes = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String item = part.strip();
      if (item.isEmpty()) {
        throw new IllegalArgumentException("empty host in the host list");
      }
      nodes.add(node(item, defaultPort, requirePort));
    }
    return nodes;
  }

  private static Node node(String item, int defaultPort, boolean requirePort) {
    String host;
    String port;
    if (item.startsWith("[")) {
      int close = item.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in an IPv6 address");
      }
      host = item.substring(1, close);
      String after = item.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw new IllegalArgumentException("expected ':port' after ']'");
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else {
      int colon = item.lastIndexOf(':');
      if (colon >= 0 && item.indexOf(':') != colon) {
        throw new IllegalArgumentException("write IPv6 addresses in brackets: [::1]:6379");
      }
      host = colon < 0 ? item : item.substring(0, colon);
      port = colon < 0 ? null : item.substring(colon + 1);
    }
    if (host.isEmpty() || !host.chars().allMatch(c -> c > ' ' && c != '/' && c != '@')) {
      throw new IllegalArgumentException("bad host '" + host + "'");
    }
    if (port == null && requirePort) {
      throw new IllegalArgumentException("'" + item + "' has no port");
    }
    int number = defaultPort;
    if (port != null) {
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("bad port '" + port + "'");
      }
      number = Integer.parseInt(port);
    }
    return new Node(host, number);
  }

  /** Percent-decoding as in URIs ({@code +} stays a plus). Never quotes the text on error. */
  private static String decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '%') {
        if (i + 2 >= bytes.length
            || Character.digit(bytes[i + 1], 16) < 0
            || Character.digit(bytes[i + 2], 16) < 0) {
          throw new IllegalArgumentException("bad percent-encoding in the user information");
        }
        out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
        i += 2;
      } else {
        out.write(b);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}

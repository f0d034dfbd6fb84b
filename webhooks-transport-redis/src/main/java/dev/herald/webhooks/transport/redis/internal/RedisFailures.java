package dev.herald.webhooks.transport.redis.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.NoSuchElementException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Classifies what Jedis threw: almost everything is worth retrying from the outbox (Redis down,
 * slow, failing over, loading, read-only, out of memory, wrong password until an operator fixes
 * it); only an error tied to the configured key, such as {@code WRONGTYPE}, cannot heal by itself.
 * Stateless.
 */
public final class RedisFailures {

  private static final int MESSAGE_LIMIT = 300;

  /**
   * One classified failure.
   *
   * @param type short error class for the attempt record, e.g. {@code redis_timeout}
   * @param message human-readable, without secrets
   * @param retryable whether the outbox should try again
   * @param unhealthy whether it says Redis is unavailable (counts against the circuit breaker)
   */
  public record Failure(String type, String message, boolean retryable, boolean unhealthy) {}

  private RedisFailures() {}

  public static Failure classify(RuntimeException e) {
    String message = describe(e);
    if (e instanceof JedisDataException data) {
      String code = errorCode(data.getMessage());
      if (code.equals("WRONGTYPE")) {
        return new Failure("redis_wrongtype", message, false, false);
      }
      return new Failure("redis_" + code.toLowerCase(Locale.ROOT), message, true, true);
    }
    if (hasCause(e, SocketTimeoutException.class)) {
      return new Failure("redis_timeout", message, true, true);
    }
    if (hasCause(e, ConnectException.class)) {
      return new Failure("redis_connection_refused", message, true, true);
    }
    if (hasCause(e, NoSuchElementException.class)) {
      return new Failure("redis_pool_exhausted", message, true, true);
    }
    if (e instanceof JedisConnectionException) {
      return new Failure("redis_connection", message, true, true);
    }
    if (e instanceof JedisClusterOperationException) {
      return new Failure("redis_cluster_unavailable", message, true, true);
    }
    return new Failure("redis_error", message, true, true);
  }

  /** The leading upper-case word of a Redis error reply ({@code READONLY You can't...}). */
  static String errorCode(String message) {
    if (message == null) {
      return "ERR";
    }
    int end = 0;
    while (end < message.length()
        && end < 32
        && ((message.charAt(end) >= 'A' && message.charAt(end) <= 'Z')
            || message.charAt(end) == '_')) {
      end++;
    }
    return end == 0 ? "ERR" : message.substring(0, end);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null) {
      out.append(": ").append(e.getMessage());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e && cause.getMessage() != null) {
      out.append(" (").append(cause.getClass().getSimpleName()).append(": ");
      out.append(cause.getMessage()).append(')');
    }
    return out.length() > MESSAGE_LIMIT ? out.substring(0, MESSAGE_LIMIT) : out.toString();
  }
}

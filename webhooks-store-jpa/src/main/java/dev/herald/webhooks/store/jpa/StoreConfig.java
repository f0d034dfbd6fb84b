package dev.herald.webhooks.store.jpa;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the database: a JDBC URL with credentials, the pool size, and the key that encrypts
 * endpoint secrets at rest (32 bytes, {@code HERALD_SECRETS_KEY}; absent in development only).
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL
 * @param user the user, or null when the URL carries it
 * @param password the password, or null
 * @param poolSize most pooled connections (a PostgreSQL listener holds one more while workers wait)
 * @param secretsKey the AES-256 key for endpoint secrets, or empty to use a generated one
 */
public record StoreConfig(
    String jdbcUrl, String user, String password, int poolSize, Optional<byte[]> secretsKey) {

  static final String ACCEPTED =
      "DATABASE_URL must be empty (embedded database), postgresql://user:password@host:5432/database"
          + " (or postgres://...), or a jdbc:postgresql: or jdbc:h2: URL";

  public StoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(ACCEPTED);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
    }
    Objects.requireNonNull(secretsKey, "secretsKey");
    secretsKey.ifPresent(
        key -> {
          if (key.length != 32) {
            throw new IllegalArgumentException(
                "HERALD_SECRETS_KEY must be Base64 of 32 bytes, was " + key.length + " bytes");
          }
        });
    secretsKey = secretsKey.map(byte[]::clone);
  }

  /**
   * Reads {@code DATABASE_URL}. Empty or null means the embedded H2 database in {@code
   * embeddedDirectory}.
   *
   * @throws IllegalArgumentException naming {@code DATABASE_URL} and the accepted forms; the
   *     message never contains the password
   */
  public static StoreConfig fromDatabaseUrl(
      String databaseUrl, Path embeddedDirectory, int poolSize, Optional<byte[]> secretsKey) {
    if (databaseUrl == null || databaseUrl.isBlank()) {
      return embedded(embeddedDirectory, poolSize, secretsKey);
    }
    String url = databaseUrl.trim();
    if (url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:h2:")) {
      return new StoreConfig(url, null, null, poolSize, secretsKey);
    }
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      return fromPostgresUri(url, poolSize, secretsKey);
    }
    throw new IllegalArgumentException(ACCEPTED);
  }

  /** The embedded H2 database in {@code directory}, which a second process may open too. */
  public static StoreConfig embedded(Path directory, int poolSize, Optional<byte[]> secretsKey) {
    Objects.requireNonNull(directory, "embeddedDirectory");
    String file = directory.toAbsolutePath().resolve("herald").toString().replace('\\', '/');
    return new StoreConfig(
        "jdbc:h2:file:"
            + file
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000",
        "sa",
        "",
        poolSize,
        secretsKey);
  }

  /** Whether the URL points at PostgreSQL (otherwise H2). */
  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  private static StoreConfig fromPostgresUri(
      String url, int poolSize, Optional<byte[]> secretsKey) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      // The message and cause would repeat the URL, password included.
      throw new IllegalArgumentException(
          ACCEPTED + " (percent-encode special characters in the user and password)");
    }
    String host = uri.getHost();
    String path = uri.getRawPath();
    if (host == null || path == null || path.length() < 2 || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(ACCEPTED);
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
    if (uri.getPort() >= 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(path);
    if (uri.getRawQuery() != null) {
      jdbc.append('?').append(uri.getRawQuery());
    }
    return new StoreConfig(jdbc.toString(), user, password, poolSize, secretsKey);
  }

  /** RFC 3986 percent-decoding: unlike URLDecoder, '+' stays a plus sign. */
  static String percentDecode(String text) {
    byte[] out = new byte[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new IllegalArgumentException(ACCEPTED + " (bad percent-encoding)");
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException(ACCEPTED + " (bad percent-encoding)");
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 1) {
          out[n++] = bytes[0];
        } else {
          byte[] grown = new byte[out.length + bytes.length];
          System.arraycopy(out, 0, grown, 0, n);
          out = grown;
          System.arraycopy(bytes, 0, out, n, bytes.length);
          n += bytes.length;
        }
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "StoreConfig[jdbcUrl="
        + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***")
        + ", user="
        + user
        + ", password="
        + (password == null ? null : "***")
        + ", poolSize="
        + poolSize
        + ", secretsKey="
        + (secretsKey.isPresent() ? "***" : "generated")
        + "]";
  }
}

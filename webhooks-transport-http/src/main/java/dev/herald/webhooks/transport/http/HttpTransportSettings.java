package dev.herald.webhooks.transport.http;

import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.ssrf.SsrfSettings;
import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.spi.TransportConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of one {@link HttpTransport}, validated. Immutable.
 *
 * @param requestTimeout the budget of the whole request, connect to last byte read ({@code
 *     webhook.timeout}, 30 s)
 * @param connectTimeout the budget of the TCP connect ({@code herald.webhook.connect-timeout}, 10
 *     s)
 * @param ssrf what the SSRF policy allows ({@code herald.ssrf.*}, {@code environment})
 * @param caBundle a PEM file of CA certificates trusted in addition to the JDK's ({@code
 *     herald.transport.http.ca-bundle})
 * @param maxConnections pooled connections in total ({@code herald.transport.http.max-connections},
 *     200)
 * @param maxConnectionsPerRoute pooled connections per destination host and port ({@code
 *     herald.transport.http.max-connections-per-route}, 20 or the total if smaller)
 * @param version what {@code User-Agent: Herald-Webhooks/<version>} names ({@code herald.version},
 *     the jar's Implementation-Version, else {@code dev})
 */
public record HttpTransportSettings(
    Duration requestTimeout,
    Duration connectTimeout,
    SsrfSettings ssrf,
    Optional<Path> caBundle,
    int maxConnections,
    int maxConnectionsPerRoute,
    String version) {

  public static final String WEBHOOK_TIMEOUT = HeraldSettings.WEBHOOK_TIMEOUT;
  public static final String CONNECT_TIMEOUT = HeraldSettings.CONNECT_TIMEOUT;
  public static final String SSRF_ALLOWED_PORTS = HeraldSettings.SSRF_ALLOWED_PORTS;
  public static final String SSRF_ALLOWED_NETWORKS = HeraldSettings.SSRF_ALLOWED_NETWORKS;
  public static final String ENVIRONMENT = HeraldSettings.ENVIRONMENT;
  public static final String CA_BUNDLE = "herald.transport.http.ca-bundle";
  public static final String MAX_CONNECTIONS = "herald.transport.http.max-connections";
  public static final String MAX_CONNECTIONS_PER_ROUTE =
      "herald.transport.http.max-connections-per-route";
  public static final String VERSION = "herald.version";

  static final int DEFAULT_MAX_CONNECTIONS = 200;
  static final int DEFAULT_MAX_CONNECTIONS_PER_ROUTE = 20;
  private static final int CONNECTION_LIMIT = 10_000;
  // Goes into a header: a token-ish value keeps the User-Agent well-formed.
  private static final Pattern VERSION_TEXT = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  private static final String DURATION_FORMS =
      "a positive duration: seconds (30), a number with a unit (500ms, 30s, 5m) or ISO-8601"
          + " (PT30S)";

  public HttpTransportSettings {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(ssrf, "ssrf");
    Objects.requireNonNull(caBundle, "caBundle");
    Objects.requireNonNull(version, "version");
    requirePositive(WEBHOOK_TIMEOUT, requestTimeout);
    requirePositive(CONNECT_TIMEOUT, connectTimeout);
    if (maxConnections < 1 || maxConnections > CONNECTION_LIMIT) {
      throw new IllegalArgumentException(
          MAX_CONNECTIONS + " must be from 1 to " + CONNECTION_LIMIT + ", was " + maxConnections);
    }
    if (maxConnectionsPerRoute < 1 || maxConnectionsPerRoute > maxConnections) {
      throw new IllegalArgumentException(
          MAX_CONNECTIONS_PER_ROUTE
              + " must be from 1 to "
              + MAX_CONNECTIONS
              + " ("
              + maxConnections
              + "), was "
              + maxConnectionsPerRoute);
    }
    if (!VERSION_TEXT.matcher(version).matches()) {
      throw new IllegalArgumentException(
          VERSION
              + " '"
              + version
              + "' is not allowed in a User-Agent; use 1 to 64 letters, digits, '.', '_', '+' or"
              + " '-' (e.g. 1.4.0)");
    }
  }

  /** The defaults: 30 s request, 10 s connect, default SSRF settings, no CA bundle. */
  public static HttpTransportSettings defaults() {
    return from(key -> Optional.empty());
  }

  /**
   * Reads and validates the keys this transport uses.
   *
   * @throws IllegalArgumentException naming the first invalid key, its value and what it allows
   */
  public static HttpTransportSettings from(TransportConfig config) {
    Objects.requireNonNull(config, "config");
    Duration request =
        config
            .value(WEBHOOK_TIMEOUT, DURATION_FORMS, HttpTransportSettings::positiveDuration)
            .orElse(Duration.ofSeconds(30));
    Duration connect =
        config
            .value(CONNECT_TIMEOUT, DURATION_FORMS, HttpTransportSettings::positiveDuration)
            .orElse(Duration.ofSeconds(10));
    boolean production =
        config
            .value(ENVIRONMENT)
            .map(v -> v.toLowerCase(Locale.ROOT).equals("production"))
            .orElse(false);
    SsrfSettings defaults = SsrfSettings.defaults();
    SsrfSettings ssrf =
        new SsrfSettings(
            production,
            config
                .value(
                    SSRF_ALLOWED_PORTS,
                    "a comma-separated list of ports from 1 to 65535, or * for any port",
                    SsrfSettings::parsePorts)
                .orElse(defaults.allowedPorts()),
            config
                .value(
                    SSRF_ALLOWED_NETWORKS,
                    "a comma-separated list of CIDR networks such as 127.0.0.0/8,::1/128",
                    SsrfSettings::parseNetworks)
                .orElse(defaults.allowedNetworks()));
    Optional<Path> caBundle =
        config.value(
            CA_BUNDLE,
            "the path of a readable PEM file of CA certificates",
            HttpTransportSettings::readableFile);
    int maxConnections =
        config
            .value(
                MAX_CONNECTIONS,
                "a whole number from 1 to " + CONNECTION_LIMIT,
                HttpTransportSettings::integer)
            .orElse(DEFAULT_MAX_CONNECTIONS);
    int perRoute =
        config
            .value(
                MAX_CONNECTIONS_PER_ROUTE,
                "a whole number from 1 to the value of " + MAX_CONNECTIONS,
                HttpTransportSettings::integer)
            .orElse(Math.min(DEFAULT_MAX_CONNECTIONS_PER_ROUTE, maxConnections));
    String version = config.value(VERSION).orElseGet(HttpTransportSettings::jarVersion);
    return new HttpTransportSettings(
        request, connect, ssrf, caBundle, maxConnections, perRoute, version);
  }

  /** {@code Herald-Webhooks/<version>}. */
  public String userAgent() {
    return "Herald-Webhooks/" + version;
  }

  private static String jarVersion() {
    String version = HttpTransportSettings.class.getPackage().getImplementationVersion();
    return version == null || !VERSION_TEXT.matcher(version).matches() ? "dev" : version;
  }

  private static Duration positiveDuration(String text) {
    Duration d =
        DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException("not a duration"));
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("must be greater than zero");
    }
    return d;
  }

  private static int integer(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number", e);
    }
  }

  private static Path readableFile(String text) {
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a file path", e);
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("no readable file there");
    }
    return path;
  }

  private static void requirePositive(String key, Duration duration) {
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(key + " must be greater than zero, was " + duration);
    }
  }
}

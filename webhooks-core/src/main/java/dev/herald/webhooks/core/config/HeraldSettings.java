package dev.herald.webhooks.core.config;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.core.ssrf.SsrfSettings;
import dev.herald.webhooks.spi.SigningSecret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Every Herald setting, read once through MicroProfile Config and validated. An invalid value fails
 * {@link #load} with a {@link ConfigurationException} naming the key (as environment variable and
 * property) and what it allows. {@code docs/configuration.md} lists the keys. Immutable.
 *
 * @param databaseUrl {@code DATABASE_URL}: PostgreSQL ({@code postgresql://user:pass@host/db} or a
 *     JDBC URL); empty for the embedded database
 * @param dataDirectory {@code HERALD_DATA_DIR}: where the embedded database lives ({@code
 *     herald-data} under the working directory)
 * @param redisUrl {@code REDIS_URL}: {@code redis://}, {@code rediss://}, {@code redis-sentinel://}
 *     or a cluster node list; empty when Redis is not used
 * @param migrationPhase {@code HERALD_MIGRATION_PHASE} (default {@code webhook-only}); {@code
 *     ENABLE_REDIS_FALLBACK=true} means {@code webhook-primary}
 * @param defaultEndpoint {@code WEBHOOK_URL} and {@code WEBHOOK_SECRET}: an endpoint for
 *     single-tenant deployments
 * @param connectTimeout {@code HERALD_WEBHOOK_CONNECT_TIMEOUT} (10 s)
 * @param requestTimeout {@code WEBHOOK_TIMEOUT} (30 s; a bare number is seconds)
 * @param retrySchedule {@code HERALD_RETRY_SCHEDULE} (1s,5s,30s,5m,30m), or exponential from {@code
 *     WEBHOOK_RETRY_DELAY} and {@code WEBHOOK_MAX_RETRIES}
 * @param retryJitter {@code HERALD_RETRY_JITTER} (0.2 = ±20 %)
 * @param workers {@code WEBHOOK_WORKERS}: concurrent sends per process (32)
 * @param maxInFlightPerEndpoint {@code HERALD_ENDPOINT_MAX_IN_FLIGHT} (10)
 * @param claimBatchSize {@code HERALD_CLAIM_BATCH_SIZE} (100)
 * @param leaseDuration {@code HERALD_LEASE_DURATION} (30 s)
 * @param pollInterval {@code HERALD_POLL_INTERVAL} (500 ms)
 * @param production {@code ENVIRONMENT=production}: https-only endpoints
 * @param ssrf {@code HERALD_SSRF_ALLOWED_PORTS}, {@code HERALD_SSRF_ALLOWED_NETWORKS}
 * @param adminApiKey {@code HERALD_ADMIN_API_KEY}: the operator key
 * @param secretsKey {@code HERALD_SECRETS_KEY}: Base64 of 32 bytes, encrypts secrets at rest
 * @param maxPayloadBytes {@code HERALD_EVENT_MAX_BYTES} (262144)
 * @param dedupWindow {@code HERALD_EVENT_DEDUP_WINDOW} (24 h)
 * @param circuitBreaker {@code HERALD_CIRCUIT_FAILURE_THRESHOLD} (5), {@code
 *     HERALD_CIRCUIT_OPEN_DURATION} (5 min)
 * @param autoDisableAfter {@code HERALD_ENDPOINT_AUTO_DISABLE_AFTER} (5 d without a success)
 * @param retention {@code HERALD_RETENTION} (30 d)
 * @param retentionInterval {@code HERALD_RETENTION_INTERVAL} (1 h): how often the purge runs, on
 *     one process at a time
 * @param secretRotationGrace {@code HERALD_SECRET_ROTATION_GRACE} (24 h)
 * @param redisMaxAge {@code HERALD_REDIS_MAX_AGE}: a Redis delivery older than this goes to the
 *     dead letters at its next failure; empty (the default) keeps it until Redis takes it
 * @param workerEnabled {@code HERALD_WORKER_ENABLED} (true): false makes an API-only server that
 *     never claims deliveries
 * @param workerHttpPort {@code HERALD_WORKER_HTTP_PORT} (9091, 0 = off): where a standalone worker
 *     serves health and metrics
 * @param handshakeOrigin {@code HERALD_HANDSHAKE_ORIGIN} ({@code herald}): the DNS name Herald
 *     gives as {@code WebHook-Request-Origin} in the CloudEvents validation handshake
 * @param publicUrl {@code HERALD_PUBLIC_URL}: the address browsers reach Herald at, from which
 *     portal links are made; empty (the default) makes them from the address each request came to
 * @param portalFrameAncestors {@code HERALD_PORTAL_FRAME_ANCESTORS}: the origins that may show a
 *     portal link in a frame, besides Herald's own; empty (the default) allows none
 */
public record HeraldSettings(
    Optional<String> databaseUrl,
    Path dataDirectory,
    Optional<String> redisUrl,
    MigrationPhase migrationPhase,
    Optional<DefaultEndpointSettings> defaultEndpoint,
    Duration connectTimeout,
    Duration requestTimeout,
    RetrySchedule retrySchedule,
    double retryJitter,
    int workers,
    int maxInFlightPerEndpoint,
    int claimBatchSize,
    Duration leaseDuration,
    Duration pollInterval,
    boolean production,
    SsrfSettings ssrf,
    Optional<String> adminApiKey,
    Optional<byte[]> secretsKey,
    int maxPayloadBytes,
    Duration dedupWindow,
    CircuitBreakerPolicy circuitBreaker,
    Duration autoDisableAfter,
    Duration retention,
    Duration retentionInterval,
    Duration secretRotationGrace,
    Optional<Duration> redisMaxAge,
    boolean workerEnabled,
    int workerHttpPort,
    String handshakeOrigin,
    Optional<URI> publicUrl,
    List<String> portalFrameAncestors) {

  public static final String DATABASE_URL = "database.url";
  public static final String DATA_DIR = "herald.data.dir";
  public static final String REDIS_URL = "redis.url";
  public static final String MIGRATION_PHASE = "herald.migration.phase";
  public static final String ENABLE_REDIS_FALLBACK = "enable.redis.fallback";
  public static final String WEBHOOK_URL = "webhook.url";
  public static final String WEBHOOK_SECRET = "webhook.secret";
  public static final String WEBHOOK_SIGNATURE_PROFILE = "webhook.signature.profile";
  public static final String WEBHOOK_HEADER_PREFIX = "webhook.header.prefix";
  public static final String CONNECT_TIMEOUT = "herald.webhook.connect-timeout";
  public static final String WEBHOOK_TIMEOUT = "webhook.timeout";
  public static final String RETRY_SCHEDULE = "herald.retry.schedule";
  public static final String WEBHOOK_RETRY_DELAY = "webhook.retry.delay";
  public static final String WEBHOOK_MAX_RETRIES = "webhook.max.retries";
  public static final String RETRY_MAX_DELAY = "herald.retry.max-delay";
  public static final String RETRY_JITTER = "herald.retry.jitter";
  public static final String WEBHOOK_WORKERS = "webhook.workers";
  public static final String MAX_IN_FLIGHT = "herald.endpoint.max-in-flight";
  public static final String CLAIM_BATCH_SIZE = "herald.claim.batch-size";
  public static final String LEASE_DURATION = "herald.lease.duration";
  public static final String POLL_INTERVAL = "herald.poll.interval";
  public static final String ENVIRONMENT = "environment";
  public static final String SSRF_ALLOWED_PORTS = "herald.ssrf.allowed-ports";
  public static final String SSRF_ALLOWED_NETWORKS = "herald.ssrf.allowed-networks";
  public static final String ADMIN_API_KEY = "herald.admin.api.key";
  public static final String SECRETS_KEY = "herald.secrets.key";
  public static final String EVENT_MAX_BYTES = "herald.event.max-bytes";
  public static final String EVENT_DEDUP_WINDOW = "herald.event.dedup-window";
  public static final String CIRCUIT_FAILURE_THRESHOLD = "herald.circuit.failure-threshold";
  public static final String CIRCUIT_OPEN_DURATION = "herald.circuit.open-duration";
  public static final String AUTO_DISABLE_AFTER = "herald.endpoint.auto-disable-after";
  public static final String RETENTION = "herald.retention";
  public static final String RETENTION_INTERVAL = "herald.retention.interval";
  public static final String WORKER_ENABLED = "herald.worker.enabled";
  public static final String WORKER_HTTP_PORT = "herald.worker.http.port";
  public static final String SECRET_ROTATION_GRACE = "herald.secret.rotation-grace";
  public static final String REDIS_MAX_AGE = "herald.redis.max-age";
  public static final String HANDSHAKE_ORIGIN = "herald.handshake.origin";
  public static final String PUBLIC_URL = "herald.public.url";
  public static final String PORTAL_FRAME_ANCESTORS = "herald.portal.frame-ancestors";

  /**
   * Reads and validates every setting.
   *
   * @throws ConfigurationException listing every invalid key
   */
  public static HeraldSettings load(Config config) {
    ConfigReader in = new ConfigReader(config);

    MigrationPhase phase = migrationPhase(in);

    String environment = in.string(ENVIRONMENT, "development").toLowerCase(Locale.ROOT);
    boolean production = environment.equals("production");

    RetrySchedule schedule = retrySchedule(in);

    SsrfSettings ssrfDefaults = SsrfSettings.defaults();
    SsrfSettings ssrf =
        new SsrfSettings(
            production,
            in.parsed(
                    SSRF_ALLOWED_PORTS,
                    "a comma-separated list of ports from 1 to 65535, or * for any port",
                    SsrfSettings::parsePorts)
                .orElse(ssrfDefaults.allowedPorts()),
            in.parsed(
                    SSRF_ALLOWED_NETWORKS,
                    "a comma-separated list of CIDR networks such as 127.0.0.0/8,::1/128",
                    SsrfSettings::parseNetworks)
                .orElse(ssrfDefaults.allowedNetworks()));

    Optional<byte[]> secretsKey =
        in.parsed(
            SECRETS_KEY,
            "Base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)",
            s -> {
              byte[] key = Base64.getDecoder().decode(s);
              if (key.length != 32) {
                throw new IllegalArgumentException("decodes to " + key.length + " bytes");
              }
              return key;
            });

    int failureThreshold = in.integer(CIRCUIT_FAILURE_THRESHOLD, 5, 1, 1000);
    Duration openDuration = in.duration(CIRCUIT_OPEN_DURATION, Duration.ofMinutes(5));

    Optional<DefaultEndpointSettings> defaultEndpoint = defaultEndpoint(in);

    HeraldSettings settings =
        new HeraldSettings(
            in.string(DATABASE_URL),
            in.parsed(DATA_DIR, "a directory path", Path::of).orElse(Path.of("herald-data")),
            in.string(REDIS_URL),
            phase,
            defaultEndpoint,
            in.duration(CONNECT_TIMEOUT, Duration.ofSeconds(10)),
            in.duration(WEBHOOK_TIMEOUT, Duration.ofSeconds(30)),
            schedule,
            in.fraction(RETRY_JITTER, 0.2),
            in.integer(WEBHOOK_WORKERS, 32, 1, 1024),
            in.integer(MAX_IN_FLIGHT, 10, 1, 1000),
            in.integer(CLAIM_BATCH_SIZE, 100, 1, 1000),
            in.duration(LEASE_DURATION, Duration.ofSeconds(30)),
            in.duration(POLL_INTERVAL, Duration.ofMillis(500)),
            production,
            ssrf,
            in.string(ADMIN_API_KEY),
            secretsKey,
            in.integer(EVENT_MAX_BYTES, 256 * 1024, 1024, 16 * 1024 * 1024),
            in.duration(EVENT_DEDUP_WINDOW, Duration.ofHours(24)),
            new CircuitBreakerPolicy(failureThreshold, openDuration),
            in.duration(AUTO_DISABLE_AFTER, Duration.ofDays(5)),
            in.duration(RETENTION, Duration.ofDays(30)),
            in.duration(RETENTION_INTERVAL, Duration.ofHours(1)),
            in.duration(SECRET_ROTATION_GRACE, Duration.ofHours(24)),
            Optional.ofNullable(in.duration(REDIS_MAX_AGE, null)),
            in.bool(WORKER_ENABLED).orElse(true),
            in.integer(WORKER_HTTP_PORT, 9091, 0, 65535),
            in.parsed(
                    HANDSHAKE_ORIGIN,
                    "a DNS name such as herald.example.com",
                    HeraldSettings::dnsName)
                .orElse("herald"),
            in.parsed(
                PUBLIC_URL,
                "an absolute http or https URL such as https://herald.example.com",
                HeraldSettings::publicUrl),
            in.parsed(
                    PORTAL_FRAME_ANCESTORS,
                    "origins separated by spaces or commas, such as https://app.example.com"
                        + " https://*.example.com",
                    HeraldSettings::frameAncestors)
                .orElse(List.of()));
    in.throwIfAnyProblem();
    return settings;
  }

  private static final Pattern FRAME_ANCESTOR =
      Pattern.compile(
          "https?://(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*(:(\\d{1,5}|\\*))?");

  /**
   * CSP host sources with a scheme, each checked whole, so that nothing else can reach the {@code
   * Content-Security-Policy} header they go into.
   */
  private static List<String> frameAncestors(String text) {
    List<String> origins = new ArrayList<>();
    for (String origin : text.split("[\\s,]+")) {
      if (origin.isEmpty()) {
        continue;
      }
      if (!FRAME_ANCESTOR.matcher(origin).matches()) {
        throw new IllegalArgumentException("not an origin: " + origin);
      }
      origins.add(origin);
    }
    return List.copyOf(origins);
  }

  private static URI publicUrl(String text) {
    URI uri = URI.create(text.strip());
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      throw new IllegalArgumentException("not an absolute http(s) URL without query: " + text);
    }
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    return uri.resolve(path.endsWith("/") ? path : path + "/");
  }

  private static String dnsName(String text) {
    if (!text.matches(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*")
        || text.length() > 253) {
      throw new IllegalArgumentException("not a DNS name: " + text);
    }
    return text;
  }

  /**
   * What makes these settings unfit for production, when {@code ENVIRONMENT=production}: without
   * {@code HERALD_SECRETS_KEY}, the key that encrypts endpoint secrets would be generated and kept
   * in the same database as the secrets.
   */
  public Optional<String> productionProblem() {
    if (production && secretsKey.isEmpty()) {
      return Optional.of(
          ConfigReader.describe(ENVIRONMENT)
              + " is production but "
              + ConfigReader.describe(SECRETS_KEY)
              + " is not set: set it to Base64 of 32 random bytes (`openssl rand -base64 32`),"
              + " kept apart from the database");
    }
    return Optional.empty();
  }

  private static Optional<DefaultEndpointSettings> defaultEndpoint(ConfigReader in) {
    Optional<String> url = in.string(WEBHOOK_URL);
    Optional<String> secret = in.string(WEBHOOK_SECRET);
    SignatureProfile profile =
        in.parsed(
                WEBHOOK_SIGNATURE_PROFILE, "standard or legacy-hex", SignatureProfile::fromWireName)
            .orElse(SignatureProfile.STANDARD);
    Optional<String> prefix = in.string(WEBHOOK_HEADER_PREFIX);
    if (url.isEmpty() && secret.isEmpty()) {
      return Optional.empty();
    }
    if (url.isEmpty() || secret.isEmpty()) {
      in.problem(
          ConfigReader.describe(url.isEmpty() ? WEBHOOK_SECRET : WEBHOOK_URL)
              + " is set but "
              + ConfigReader.describe(url.isEmpty() ? WEBHOOK_URL : WEBHOOK_SECRET)
              + " is not; set both for a default endpoint, or neither");
      return Optional.empty();
    }
    try {
      new WebhookSigner(
          profile, prefix.orElse(null), List.of(new SigningSecret(secret.get(), null)));
    } catch (IllegalArgumentException e) {
      in.problem(
          (profile == SignatureProfile.LEGACY_HEX
                      && !WebhookSigner.isValidHeaderPrefix(prefix.orElse(null))
                  ? ConfigReader.describe(WEBHOOK_HEADER_PREFIX)
                  : ConfigReader.describe(WEBHOOK_SECRET) + " (a secret, not shown)")
              + " does not fit the "
              + profile.wireName()
              + " signature profile: "
              + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(
        new DefaultEndpointSettings(
            url.get().strip(),
            secret.get(),
            profile,
            profile == SignatureProfile.LEGACY_HEX ? prefix.get() : null));
  }

  private static MigrationPhase migrationPhase(ConfigReader in) {
    Optional<MigrationPhase> explicit =
        in.parsed(MIGRATION_PHASE, MigrationPhase.allowedNames(), MigrationPhase::fromWireName);
    Optional<Boolean> fallback = in.bool(ENABLE_REDIS_FALLBACK);
    if (fallback.orElse(false)) {
      if (explicit.isPresent() && explicit.get() != MigrationPhase.WEBHOOK_PRIMARY) {
        in.problem(
            ConfigReader.describe(ENABLE_REDIS_FALLBACK)
                + " is true, which means webhook-primary, but "
                + ConfigReader.describe(MIGRATION_PHASE)
                + " is "
                + explicit.get().wireName()
                + "; set only one of them");
      }
      return MigrationPhase.WEBHOOK_PRIMARY;
    }
    return explicit.orElse(MigrationPhase.WEBHOOK_ONLY);
  }

  private static RetrySchedule retrySchedule(ConfigReader in) {
    Optional<RetrySchedule> list =
        in.parsed(
            RETRY_SCHEDULE,
            "a comma-separated list of delays such as 1s,5s,30s,5m,30m",
            RetrySchedule::parse);
    boolean exponential =
        in.string(WEBHOOK_RETRY_DELAY).isPresent() || in.string(WEBHOOK_MAX_RETRIES).isPresent();
    if (!exponential) {
      return list.orElse(RetrySchedule.defaults());
    }
    if (in.string(RETRY_SCHEDULE).isPresent()) {
      in.problem(
          ConfigReader.describe(RETRY_SCHEDULE)
              + " and "
              + ConfigReader.describe(WEBHOOK_RETRY_DELAY)
              + "/"
              + ConfigReader.describe(WEBHOOK_MAX_RETRIES)
              + " are both set; use the list or the exponential form, not both");
      return RetrySchedule.defaults();
    }
    // Seed semantics: WEBHOOK_RETRY_DELAY=2, WEBHOOK_MAX_RETRIES=5 gives 2, 4, 8, 16, 32 s.
    Duration initial = in.duration(WEBHOOK_RETRY_DELAY, Duration.ofSeconds(2));
    int retries = in.integer(WEBHOOK_MAX_RETRIES, 5, 0, 100);
    Duration maxDelay = in.duration(RETRY_MAX_DELAY, Duration.ofHours(1));
    if (maxDelay.compareTo(initial) < 0) {
      in.problem(
          ConfigReader.describe(RETRY_MAX_DELAY)
              + " must not be shorter than "
              + ConfigReader.describe(WEBHOOK_RETRY_DELAY));
      return RetrySchedule.defaults();
    }
    return RetrySchedule.exponential(initial, 2.0, maxDelay, retries);
  }
}

package dev.herald.webhooks.transport.http;

import dev.herald.webhooks.core.http.HeaderRules;
import dev.herald.webhooks.core.retry.StatusClassifier;
import dev.herald.webhooks.core.retry.TransportFailure;
import dev.herald.webhooks.core.ssrf.HostResolver;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import dev.herald.webhooks.core.tls.TrustManagers;
import dev.herald.webhooks.spi.HandshakeAnswer;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.transport.http.internal.SsrfDnsResolver;
import dev.herald.webhooks.transport.http.internal.WriteTrackingEntity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpOptions;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Delivers a webhook as one HTTP POST, with Apache HttpClient 5's classic (blocking) API.
 *
 * <p>Why classic: the worker already sends from a bounded pool of threads ({@code
 * WEBHOOK_WORKERS}), one send per thread, so a blocking call costs nothing extra and keeps the
 * failure handling linear; the async client would add a reactor and callbacks without raising the
 * number of sends in flight.
 *
 * <p>Every send: the URL passes {@link SsrfPolicy#checkUrl} (scheme, port, userinfo, IP literals);
 * DNS names resolve in {@link SsrfDnsResolver}, which hands the pool only allowed addresses;
 * redirects, automatic retries, cookies, proxies and content decompression are off; TLS verifies
 * the certificate chain (JDK trust store plus the optional CA bundle) and the host name. The whole
 * request, connect to last byte, is bounded by {@link HttpTransportSettings#requestTimeout()}: a
 * scheduled task aborts it, so a receiver that trickles bytes cannot hold a worker longer.
 *
 * <p>Thread-safe: one instance serves every worker thread; {@link #close()} releases the pool.
 */
public final class HttpTransport implements Transport {

  /** How much of a response body is kept for the attempt record. */
  public static final int EXCERPT_BYTES = 4096;

  /** The longest a validation request may take, whatever the request timeout of sends. */
  public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  // A rest of at most this many bytes is read to the end, so the connection can be reused;
  // anything longer (or of unknown length) costs less to drop with the connection.
  private static final long DRAIN_LIMIT = 16 * 1024;

  private final HttpTransportSettings settings;
  private final SsrfPolicy policy;
  private final StatusClassifier classifier;
  private final CloseableHttpClient client;
  private final ScheduledThreadPoolExecutor deadlines;
  private final AtomicBoolean closed = new AtomicBoolean();
  private static final int CHECKED_URLS_MAX = 10_000;
  private final Map<String, URI> checkedUrls = new ConcurrentHashMap<>();

  /** A transport resolving names with the JVM's resolver. */
  public HttpTransport(HttpTransportSettings settings) {
    this(settings, HostResolver.system(), Clock.systemUTC());
  }

  /**
   * @param resolver resolves host names (A and AAAA); every answer still passes the SSRF policy
   * @param clock measures {@code Retry-After} dates
   * @throws IllegalArgumentException naming {@link HttpTransportSettings#CA_BUNDLE} when the CA
   *     bundle holds no readable certificate
   */
  public HttpTransport(HttpTransportSettings settings, HostResolver resolver, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.policy = new SsrfPolicy(settings.ssrf());
    this.classifier = new StatusClassifier(clock);
    Timeout requestTimeout = Timeout.of(settings.requestTimeout());
    PoolingHttpClientConnectionManager pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new SsrfDnsResolver(policy, Objects.requireNonNull(resolver)))
            .setTlsSocketStrategy(
                new DefaultClientTlsStrategy(
                    TrustManagers.sslContext(settings.caBundle(), HttpTransportSettings.CA_BUNDLE),
                    HostnameVerificationPolicy.BOTH,
                    new DefaultHostnameVerifier()))
            .setMaxConnTotal(settings.maxConnections())
            .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
            .setDefaultSocketConfig(
                SocketConfig.custom().setSoTimeout(requestTimeout).setTcpNoDelay(true).build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                    .setSocketTimeout(requestTimeout)
                    // Automatic retries are off, so check a connection idle for a while before
                    // reusing it rather than write a request into a socket the peer closed.
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .build())
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectionRequestTimeout(requestTimeout)
                    .setResponseTimeout(requestTimeout)
                    .setRedirectsEnabled(false)
                    .setExpectContinueEnabled(false)
                    .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .disableConnectionState()
            .setUserAgent(settings.userAgent())
            .evictExpiredConnections()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .build();
    this.deadlines = new ScheduledThreadPoolExecutor(1, HttpTransport::deadlineThread);
    deadlines.setRemoveOnCancelPolicy(true);
  }

  public HttpTransportSettings settings() {
    return settings;
  }

  /**
   * Posts {@code message.body()} to {@code message.destination()} once. Never throws for a failure
   * of the destination: refused URLs, connection errors and timeouts come back as outcomes.
   *
   * @throws IllegalStateException when the transport is closed
   */
  /**
   * The URL parsed, once it passed the policy's URL checks: those depend on nothing but the URL and
   * the settings, so a URL is checked once, not at every send (its addresses still are, at every
   * connection).
   */
  private URI checked(String destination) throws URISyntaxException {
    URI uri = checkedUrls.get(destination);
    if (uri == null) {
      policy.checkUrl(destination);
      uri = new URI(destination);
      if (checkedUrls.size() >= CHECKED_URLS_MAX) {
        checkedUrls.clear();
      }
      checkedUrls.put(destination, uri);
    }
    return uri;
  }

  @Override
  public SendOutcome send(OutboundMessage message) {
    Objects.requireNonNull(message, "message");
    if (closed.get()) {
      throw new IllegalStateException("the http transport is closed");
    }
    long start = System.nanoTime();
    URI uri;
    try {
      uri = checked(message.destination());
    } catch (SsrfViolationException e) {
      return denied(e, start);
    } catch (URISyntaxException e) {
      // checkUrl parses the same way, so this cannot happen for a URL it accepted.
      return classifier.fromFailure(TransportFailure.SSRF_DENIED, e.getMessage(), since(start));
    }
    HttpPost post = new HttpPost(uri);
    String badHeader = copyHeaders(message, post);
    if (badHeader != null) {
      return new SendOutcome.Failed(
          null,
          since(start),
          new SendOutcome.Error(
              "invalid_header",
              "header '" + badHeader + "' has a name or value that cannot be sent in HTTP/1.1"),
          false);
    }
    WriteTrackingEntity entity =
        new WriteTrackingEntity(new ByteArrayEntity(message.body(), contentType(message)));
    post.setEntity(entity);

    AtomicBoolean deadlinePassed = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              deadlinePassed.set(true);
              post.cancel();
            },
            settings.requestTimeout().toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return exchange(post, start);
    } catch (IOException | RuntimeException e) {
      return failure(e, entity.written(), deadlinePassed.get(), start);
    } finally {
      deadline.cancel(false);
    }
  }

  /**
   * The CloudEvents webhook validation request: an {@code OPTIONS} to the URL, under the SSRF
   * policy of a send and its request timeout, at most {@link #HANDSHAKE_TIMEOUT} (an API request
   * waits for it); the answer's status and headers, its body read and dropped.
   */
  @Override
  public Optional<HandshakeAnswer> validate(String destination, Map<String, String> headers) {
    if (closed.get()) {
      throw new IllegalStateException("the http transport is closed");
    }
    URI uri;
    try {
      uri = checked(destination);
    } catch (SsrfViolationException | URISyntaxException e) {
      return Optional.of(HandshakeAnswer.failed("refused by the SSRF policy: " + e.getMessage()));
    }
    HttpOptions options = new HttpOptions(uri);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!HeaderRules.isToken(header.getKey()) || !HeaderRules.isFieldValue(header.getValue())) {
        throw new IllegalArgumentException("header '" + header.getKey() + "' cannot be sent");
      }
      options.setHeader(header.getKey(), header.getValue());
    }
    options.setHeader(HttpHeaders.USER_AGENT, settings.userAgent());
    Duration timeout =
        settings.requestTimeout().compareTo(HANDSHAKE_TIMEOUT) < 0
            ? settings.requestTimeout()
            : HANDSHAKE_TIMEOUT;
    AtomicBoolean deadlinePassed = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              deadlinePassed.set(true);
              options.cancel();
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try (ClassicHttpResponse response =
        client.executeOpen(null, options, HttpClientContext.create())) {
      Map<String, String> answer = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (Header header : response.getHeaders()) {
        answer.putIfAbsent(header.getName(), header.getValue());
      }
      readExcerpt(response.getEntity());
      return Optional.of(new HandshakeAnswer(response.getCode(), answer, null));
    } catch (IOException | RuntimeException e) {
      return Optional.of(
          HandshakeAnswer.failed(
              deadlinePassed.get() ? "no answer within " + timeout : e.toString()));
    } finally {
      deadline.cancel(false);
    }
  }

  /** Closes the client and its connection pool; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      deadlines.shutdownNow();
      client.close(CloseMode.GRACEFUL);
    }
  }

  private SendOutcome exchange(HttpPost post, long start) throws IOException {
    ClassicHttpResponse response = client.executeOpen(null, post, HttpClientContext.create());
    boolean reusable = false;
    try {
      // The status decides from here on: a body that breaks or outlasts the deadline only
      // shortens the excerpt (a 200 was received; sending again would deliver twice).
      Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
      Excerpt excerpt = readExcerpt(response.getEntity());
      reusable = excerpt.complete();
      return classifier.fromResponse(
          response.getCode(),
          excerpt.text(),
          retryAfter == null ? null : retryAfter.getValue(),
          since(start));
    } finally {
      release(response, reusable);
    }
  }

  private static Excerpt readExcerpt(HttpEntity entity) {
    if (entity == null) {
      return new Excerpt("", true);
    }
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      InputStream in = entity.getContent();
      byte[] buffer = new byte[EXCERPT_BYTES];
      while (head.size() < EXCERPT_BYTES) {
        int n = in.read(buffer, 0, EXCERPT_BYTES - head.size());
        if (n < 0) {
          return new Excerpt(decode(head), true);
        }
        head.write(buffer, 0, n);
      }
      long length = entity.getContentLength();
      boolean cheap = length >= 0 && length - EXCERPT_BYTES <= DRAIN_LIMIT;
      if (cheap) {
        in.transferTo(OutputStream.nullOutputStream());
        return new Excerpt(decode(head), true);
      }
      return new Excerpt(decode(head), false);
    } catch (IOException e) {
      return new Excerpt(decode(head), false);
    }
  }

  /** Lenient: malformed or truncated UTF-8 becomes U+FFFD. */
  private static String decode(ByteArrayOutputStream bytes) {
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  private static void release(ClassicHttpResponse response, boolean reusable) {
    try {
      if (!reusable && response instanceof ModalCloseable modal) {
        // IMMEDIATE drops the connection; a graceful close would read the rest of the body first.
        modal.close(CloseMode.IMMEDIATE);
      } else {
        response.close();
      }
    } catch (IOException | RuntimeException e) {
      // The outcome is known; the connection is discarded either way.
    }
  }

  /** Copies the message's headers and Herald's own; returns the name of an unsendable one. */
  /** The message's own {@code Content-Type} (a CloudEvents format), else JSON. */
  private static ContentType contentType(OutboundMessage message) {
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        return ContentType.parse(header.getValue());
      }
    }
    return ContentType.APPLICATION_JSON;
  }

  private String copyHeaders(OutboundMessage message, HttpPost post) {
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      String name = header.getKey();
      String value = header.getValue();
      if (!HeaderRules.isToken(name) || !HeaderRules.isFieldValue(value)) {
        return name;
      }
      if (!HeaderRules.CLIENT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        post.addHeader(name, value);
      }
    }
    Map<String, String> own =
        Map.of(
            HttpHeaders.USER_AGENT,
            settings.userAgent(),
            "X-Herald-Event-Type",
            message.eventType(),
            "X-Herald-Delivery-Id",
            message.deliveryId(),
            "X-Herald-Attempt",
            Integer.toString(message.attempt()));
    for (Map.Entry<String, String> header : own.entrySet()) {
      if (!HeaderRules.isFieldValue(header.getValue())) {
        return header.getKey();
      }
      post.setHeader(header.getKey(), header.getValue());
    }
    return null;
  }

  private SendOutcome failure(
      Throwable e, boolean requestWritten, boolean deadlinePassed, long start) {
    Duration duration = since(start);
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SsrfViolationException violation) {
        return denied(violation, start);
      }
    }
    if (deadlinePassed) {
      return classifier.fromFailure(
          TransportFailure.TIMEOUT,
          "no complete response within " + settings.requestTimeout().toMillis() + " ms",
          duration);
    }
    if (e instanceof ConnectTimeoutException) {
      return classifier.fromFailure(TransportFailure.CONNECT_TIMEOUT, e.getMessage(), duration);
    }
    if (e instanceof ConnectionRequestTimeoutException) {
      return classifier.fromFailure(
          TransportFailure.TIMEOUT,
          "no pooled connection became free within " + settings.requestTimeout().toMillis() + " ms",
          duration);
    }
    return classifier.fromException(e, requestWritten, duration);
  }

  private SendOutcome denied(SsrfViolationException e, long start) {
    return classifier.fromFailure(TransportFailure.SSRF_DENIED, e.getMessage(), since(start));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static Thread deadlineThread(Runnable task) {
    Thread thread = new Thread(task, "herald-http-deadline");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * @param complete the body was read to its end, so the connection may be reused
   */
  private record Excerpt(String text, boolean complete) {}
}

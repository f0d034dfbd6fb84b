package dev.herald.webhooks.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.core.retry.StatusClassifier.Verdict;
import dev.herald.webhooks.spi.SendOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusClassifierTest {

  private static final Duration TOOK = Duration.ofMillis(42);
  private final StatusClassifier classifier =
      new StatusClassifier(Clock.fixed(Instant.parse("2015-10-21T07:27:00Z"), ZoneOffset.UTC));

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void twoHundredsSucceed(int status) {
    SendOutcome outcome = classifier.fromResponse(status, "ok", null, TOOK);

    assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
    assertThat(outcome.response()).isEqualTo(new SendOutcome.Response(status, "ok"));
    assertThat(outcome.duration()).isEqualTo(TOOK);
  }

  @Test
  void retriesOn503ButNotOn404() {
    SendOutcome unavailable = classifier.fromResponse(503, "busy", null, TOOK);
    SendOutcome notFound = classifier.fromResponse(404, "nope", null, TOOK);

    assertThat(unavailable).isInstanceOf(SendOutcome.Retry.class);
    assertThat(((SendOutcome.Retry) unavailable).error().type()).isEqualTo("http_503");
    assertThat(((SendOutcome.Retry) unavailable).retryAfter()).isNull();
    assertThat(notFound).isInstanceOf(SendOutcome.Failed.class);
    assertThat(((SendOutcome.Failed) notFound).error().type()).isEqualTo("http_404");
    assertThat(((SendOutcome.Failed) notFound).disableEndpoint()).isFalse();
  }

  @Test
  void retriesOn408And429() {
    assertThat(StatusClassifier.classify(408)).isEqualTo(Verdict.RETRY);
    assertThat(StatusClassifier.classify(429)).isEqualTo(Verdict.RETRY);
    assertThat(classifier.fromResponse(429, "", "7", TOOK))
        .isEqualTo(
            new SendOutcome.Retry(
                new SendOutcome.Response(429, ""),
                TOOK,
                new SendOutcome.Error("http_429", "HTTP 429: retryable"),
                Duration.ofSeconds(7)));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 504, 599})
  void retriesOnServerErrors(int status) {
    assertThat(StatusClassifier.classify(status)).isEqualTo(Verdict.RETRY);
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectIsPermanentFailure(int status) {
    SendOutcome outcome = classifier.fromResponse(status, "", null, TOOK);

    assertThat(outcome).isInstanceOf(SendOutcome.Failed.class);
    SendOutcome.Failed failed = (SendOutcome.Failed) outcome;
    assertThat(failed.disableEndpoint()).isFalse();
    assertThat(failed.error().message()).contains("redirects are not followed");
  }

  @Test
  void goneDisablesEndpoint() {
    SendOutcome outcome = classifier.fromResponse(410, "bye", null, TOOK);

    assertThat(outcome).isInstanceOf(SendOutcome.Failed.class);
    assertThat(((SendOutcome.Failed) outcome).disableEndpoint()).isTrue();
    assertThat(((SendOutcome.Failed) outcome).error().type()).isEqualTo("http_410");
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 405, 409, 413, 422, 451, 499})
  void otherClientErrorsArePermanentFailures(int status) {
    assertThat(StatusClassifier.classify(status)).isEqualTo(Verdict.FAIL);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 101, 199, 600, 999, -1})
  void informationalAndUnknownStatusesArePermanentFailures(int status) {
    assertThat(classifier.fromResponse(status, null, null, TOOK))
        .isInstanceOf(SendOutcome.Failed.class);
  }

  @Test
  void retryAfterIsIgnoredOnPermanentFailure() {
    assertThat(classifier.fromResponse(400, "", "10", TOOK)).isInstanceOf(SendOutcome.Failed.class);
  }

  @Test
  void nullBodyBecomesEmptyExcerpt() {
    assertThat(classifier.fromResponse(200, null, null, TOOK).response().bodyExcerpt()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = TransportFailure.class,
      names = {"CONNECTION_REFUSED", "CONNECTION_RESET", "CONNECT_TIMEOUT", "TIMEOUT", "AMBIGUOUS"})
  void connectionProblemsAndTimeoutsAreRetried(TransportFailure failure) {
    SendOutcome outcome = classifier.fromFailure(failure, "boom", TOOK);

    assertThat(outcome)
        .isEqualTo(
            new SendOutcome.Retry(null, TOOK, new SendOutcome.Error(failure.code(), "boom"), null));
  }

  @Test
  void ssrfDenialIsPermanentFailure() {
    SendOutcome outcome = classifier.fromFailure(TransportFailure.SSRF_DENIED, "loopback", TOOK);

    assertThat(outcome).isInstanceOf(SendOutcome.Failed.class);
    assertThat(((SendOutcome.Failed) outcome).error().type()).isEqualTo("ssrf_denied");
  }

  @Test
  void ambiguousBreakAfterWriteIsRetried() {
    IOException broken = new IOException("Connection reset by peer");

    SendOutcome afterWrite = classifier.fromException(broken, true, TOOK);

    assertThat(afterWrite).isInstanceOf(SendOutcome.Retry.class);
    assertThat(((SendOutcome.Retry) afterWrite).error())
        .isEqualTo(new SendOutcome.Error("ambiguous", "IOException: Connection reset by peer"));
    assertThat(StatusClassifier.failureOf(broken, false))
        .isEqualTo(TransportFailure.CONNECTION_RESET);
  }

  @Test
  void exceptionsMapToFailures() {
    assertThat(StatusClassifier.failureOf(new ConnectException("refused"), false))
        .isEqualTo(TransportFailure.CONNECTION_REFUSED);
    assertThat(StatusClassifier.failureOf(new HttpConnectTimeoutException("slow"), false))
        .isEqualTo(TransportFailure.CONNECT_TIMEOUT);
    assertThat(StatusClassifier.failureOf(new HttpTimeoutException("slow"), true))
        .isEqualTo(TransportFailure.TIMEOUT);
    assertThat(StatusClassifier.failureOf(new SocketTimeoutException("slow"), false))
        .isEqualTo(TransportFailure.TIMEOUT);
    assertThat(StatusClassifier.failureOf(new UnknownHostException("x.invalid"), false))
        .isEqualTo(TransportFailure.DNS_FAILURE);
    assertThat(StatusClassifier.failureOf(new SSLHandshakeException("bad cert"), false))
        .isEqualTo(TransportFailure.TLS_FAILURE);
    assertThat(StatusClassifier.failureOf(new IllegalStateException("bug"), true))
        .isEqualTo(TransportFailure.IO_ERROR);
  }
}

package dev.herald.webhooks.core.retry;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");
  private static final Duration TOOK = Duration.ofMillis(10);

  private final StatusClassifier classifier =
      new StatusClassifier(Clock.fixed(NOW, ZoneOffset.UTC));
  private final RetryPolicy policy = new RetryPolicy(RetrySchedule.defaults(), Jitter.none());

  private static SendOutcome.Retry retry(Duration retryAfter) {
    return new SendOutcome.Retry(
        null, TOOK, new SendOutcome.Error("connect_timeout", "no answer"), retryAfter);
  }

  @Test
  void successIsSucceeded() {
    assertThat(policy.next(1, classifier.fromResponse(204, "", null, TOOK), NOW))
        .isEqualTo(new DeliveryResult.Succeeded());
  }

  @Test
  void retryFollowsTheSchedule() {
    assertThat(policy.next(1, retry(null), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(1)));
    assertThat(policy.next(2, retry(null), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(5)));
    assertThat(policy.next(5, retry(null), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plus(ofMinutes(30))));
  }

  @Test
  void jitterAppliesToTheScheduledDelay() {
    RetryPolicy jittered = new RetryPolicy(RetrySchedule.defaults(), new Jitter(0.2, () -> 1.0));

    assertThat(jittered.next(3, retry(null), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(36)));
  }

  @Test
  void deadAfterSixAttempts() {
    assertThat(RetryPolicy.defaults().schedule().maxAttempts()).isEqualTo(6);
    assertThat(policy.next(5, retry(null), NOW)).isInstanceOf(DeliveryResult.RetryAt.class);

    DeliveryResult.Next next = policy.next(6, classifier.fromResponse(503, "", null, TOOK), NOW);

    assertThat(next)
        .isEqualTo(
            new DeliveryResult.Dead("Gave up after 6 attempts: http_503 (HTTP 503: retryable)"));
  }

  @Test
  void honoursRetryAfterSeconds() {
    SendOutcome outcome = classifier.fromResponse(429, "", "120", TOOK);

    assertThat(policy.next(1, outcome, NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(120)));
  }

  @Test
  void honoursRetryAfterHttpDate() {
    SendOutcome outcome = classifier.fromResponse(503, "", "Wed, 21 Oct 2015 07:28:00 GMT", TOOK);

    assertThat(policy.next(1, outcome, NOW))
        .isEqualTo(new DeliveryResult.RetryAt(Instant.parse("2015-10-21T07:28:00Z")));
  }

  @Test
  void retryAfterIsCappedAtScheduleMaximum() {
    SendOutcome outcome = classifier.fromResponse(429, "", "86400", TOOK);

    assertThat(policy.retryAfterCap()).isEqualTo(ofMinutes(30));
    assertThat(policy.next(1, outcome, NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plus(ofMinutes(30))));
  }

  @Test
  void shorterRetryAfterDoesNotUndercutTheSchedule() {
    assertThat(policy.next(3, retry(ofSeconds(2)), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(30)));
    assertThat(policy.next(1, retry(Duration.ZERO), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(1)));
  }

  @Test
  void garbageRetryAfterIsIgnored() {
    SendOutcome outcome = classifier.fromResponse(503, "", "tomorrow-ish", TOOK);

    assertThat(((SendOutcome.Retry) outcome).retryAfter()).isNull();
    assertThat(policy.next(2, outcome, NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plusSeconds(5)));
  }

  @Test
  void permanentFailureIsDeadImmediately() {
    SendOutcome notFound = classifier.fromResponse(404, "", null, TOOK);

    assertThat(policy.next(1, notFound, NOW))
        .isEqualTo(new DeliveryResult.Dead("http_404 (HTTP 404: not retryable)"));
  }

  @Test
  void goneIsDeadAndLeavesDisablingToTheWorker() {
    SendOutcome gone = classifier.fromResponse(410, "", null, TOOK);

    assertThat(policy.next(1, gone, NOW)).isInstanceOf(DeliveryResult.Dead.class);
    assertThat(((SendOutcome.Failed) gone).disableEndpoint()).isTrue();
  }

  @Test
  void noRetriesMeansDeadAfterTheFirstAttempt() {
    RetryPolicy once = new RetryPolicy(RetrySchedule.of(List.of()), Jitter.none());

    assertThat(once.next(1, retry(null), NOW))
        .isEqualTo(new DeliveryResult.Dead("Gave up after 1 attempt: connect_timeout (no answer)"));
  }

  @Test
  void explicitRetryAfterCap() {
    RetryPolicy capped = new RetryPolicy(RetrySchedule.defaults(), Jitter.none(), ofMinutes(2));

    assertThat(capped.next(1, retry(ofMinutes(10)), NOW))
        .isEqualTo(new DeliveryResult.RetryAt(NOW.plus(ofMinutes(2))));
  }

  @Test
  void rejectsAttemptNumberZeroAndNegativeCap() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> policy.next(0, retry(null), NOW))
        .withMessage("Attempt number must be >= 1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetryPolicy(RetrySchedule.defaults(), Jitter.none(), ofSeconds(-1)))
        .withMessage("Retry-After cap must be >= 0");
  }

  @Test
  void aRefusalWaitsWhatTheTransportAskedButNeverLessThanASecondAndSpendsNoAttempt() {
    RetryPolicy policy = RetryPolicy.defaults();
    SendOutcome.Error busy = new SendOutcome.Error("busy", "all slots busy");
    assertThat(policy.next(99, new SendOutcome.Refused(TOOK, busy, Duration.ZERO), NOW))
        .as("even after the schedule's last attempt")
        .isEqualTo(new DeliveryResult.Postponed(NOW.plus(RetryPolicy.MIN_REFUSAL_WAIT)));
    assertThat(policy.next(1, new SendOutcome.Refused(TOOK, busy, ofSeconds(4)), NOW))
        .isEqualTo(new DeliveryResult.Postponed(NOW.plusSeconds(4)));
  }
}

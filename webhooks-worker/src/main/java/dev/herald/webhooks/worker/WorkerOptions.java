package dev.herald.webhooks.worker;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.retry.RetrySchedule;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How one worker runs.
 *
 * @param workerId the lease owner name; unique per process
 * @param concurrency concurrent sends ({@code WEBHOOK_WORKERS})
 * @param claimBatchSize deliveries claimed per statement
 * @param lease lease of a claimed delivery, renewed while its send runs
 * @param pollInterval safety-net polling interval
 * @param maxInFlightPerEndpoint concurrent requests per endpoint
 * @param retrySchedule the global schedule (endpoints may have their own)
 * @param retryJitter ± fraction applied to each delay
 * @param circuitBreaker the per-endpoint circuit breaker policy
 * @param autoDisableAfter an endpoint failing without a success for this long is disabled
 * @param redisMaxAge a Redis delivery older than this goes to the dead letters at its next failure;
 *     null to keep it until Redis takes it
 */
public record WorkerOptions(
    String workerId,
    int concurrency,
    int claimBatchSize,
    Duration lease,
    Duration pollInterval,
    int maxInFlightPerEndpoint,
    RetrySchedule retrySchedule,
    double retryJitter,
    CircuitBreakerPolicy circuitBreaker,
    Duration autoDisableAfter,
    Duration redisMaxAge) {

  public WorkerOptions {
    Objects.requireNonNull(workerId, "workerId");
    if (concurrency < 1 || claimBatchSize < 1 || maxInFlightPerEndpoint < 1) {
      throw new IllegalArgumentException(
          "concurrency, batch size and in-flight limit must be >= 1");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("lease must be at least 1 s, was " + lease);
    }
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(retrySchedule, "retrySchedule");
    Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
  }

  /** Options from the settings, with a worker id made of host, process id and a random part. */
  public static WorkerOptions from(HeraldSettings settings) {
    return new WorkerOptions(
        defaultWorkerId(),
        settings.workers(),
        settings.claimBatchSize(),
        settings.leaseDuration(),
        settings.pollInterval(),
        settings.maxInFlightPerEndpoint(),
        settings.retrySchedule(),
        settings.retryJitter(),
        settings.circuitBreaker(),
        settings.autoDisableAfter(),
        settings.redisMaxAge().orElse(null));
  }

  static String defaultWorkerId() {
    // RuntimeMXBean name is "pid@host".
    return ManagementFactory.getRuntimeMXBean().getName()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.herald.webhooks.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * One try of one delivery, as history keeps it.
 *
 * @param number the attempt number, starting at 1
 * @param startedAt when the send started
 * @param duration how long it took
 * @param statusCode the response status, or null when none came back
 * @param responseExcerpt the first 4 KiB of the response body, or null
 * @param errorType a short class of error, or null on success
 * @param errorMessage the error message, or null on success
 */
public record AttemptRecord(
    int number,
    Instant startedAt,
    Duration duration,
    Integer statusCode,
    String responseExcerpt,
    String errorType,
    String errorMessage) {}

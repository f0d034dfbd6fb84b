/**
 * Pure retry policy: the retry schedule, jitter, HTTP status and transport-error classification,
 * {@code Retry-After} parsing, and the decision what a delivery does after an attempt. No I/O.
 */
package dev.herald.webhooks.core.retry;

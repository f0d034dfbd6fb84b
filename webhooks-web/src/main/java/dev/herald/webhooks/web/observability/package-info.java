/**
 * Metrics (MicroProfile Metrics), tracing of delivery attempts (MicroProfile Telemetry) and the
 * delivery fields of server log records: the worker and the core only call plain observer
 * interfaces, implemented here.
 */
package dev.herald.webhooks.web.observability;

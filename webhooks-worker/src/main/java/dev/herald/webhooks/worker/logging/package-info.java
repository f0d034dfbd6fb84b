/** Structured logs: one JSON object per line, with the delivery a thread is working on. */
package dev.herald.webhooks.worker.logging;

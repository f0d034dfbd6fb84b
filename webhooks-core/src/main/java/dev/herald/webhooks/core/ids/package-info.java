/** Identifiers: prefixed, time-ordered ULIDs for events, deliveries and endpoints. */
package dev.herald.webhooks.core.ids;

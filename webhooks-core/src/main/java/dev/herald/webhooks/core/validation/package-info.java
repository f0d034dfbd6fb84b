/**
 * Checks a published event before it is accepted: known type, data against the type's JSON Schema
 * subset, envelope fields, size; and derives an idempotency key when the producer gave none.
 */
package dev.herald.webhooks.core.validation;

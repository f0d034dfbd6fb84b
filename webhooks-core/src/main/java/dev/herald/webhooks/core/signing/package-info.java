/**
 * Signature profiles ({@code standard} Standard Webhooks v1 and {@code legacy-hex}) and secret
 * generation. Signing works on the exact body bytes that are sent.
 */
package dev.herald.webhooks.core.signing;

/**
 * Verifies the signatures of webhook requests sent by Herald, for receivers that embed this jar:
 * {@link dev.herald.webhooks.verifier.WebhookVerifier} and, for saved requests, the {@link
 * dev.herald.webhooks.verifier.VerifyCommand} command line. No dependencies; Java 11 or later.
 */
package dev.herald.webhooks.verifier;

/**
 * The parts of the HTTP transport that plug into Apache HttpClient: the SSRF-checking DNS resolver,
 * the trust store with the optional CA bundle, and the request entity that records when it was
 * written.
 */
package dev.herald.webhooks.transport.http.internal;

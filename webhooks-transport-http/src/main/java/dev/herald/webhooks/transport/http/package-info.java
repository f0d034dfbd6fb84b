/**
 * The {@code http} transport: delivers webhooks as HTTP POSTs with Apache HttpClient 5, with SSRF
 * checks at DNS resolution, no redirects, no automatic retries and a whole-request deadline.
 */
package dev.herald.webhooks.transport.http;

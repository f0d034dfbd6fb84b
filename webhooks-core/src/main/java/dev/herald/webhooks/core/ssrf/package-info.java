/**
 * Server-side request forgery policy: which webhook URLs and which resolved addresses Herald may
 * connect to. Pure logic; DNS resolution only happens through an injected {@link
 * dev.herald.webhooks.core.ssrf.HostResolver}.
 */
package dev.herald.webhooks.core.ssrf;

/** MicroProfile Health checks: readiness (configuration, store, Redis when needed), liveness. */
package dev.herald.webhooks.web.health;

/** Herald's web application: CDI wiring, the REST API, health checks, on Jakarta EE and MP APIs. */
package dev.herald.webhooks.web;

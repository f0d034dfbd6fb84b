/** Small helpers of the web application that are not part of its API. */
package dev.herald.webhooks.web.internal;

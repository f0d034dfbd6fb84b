/** API keys: issued once in clear text, stored as hashes, checked in constant time. */
package dev.herald.webhooks.core.auth;

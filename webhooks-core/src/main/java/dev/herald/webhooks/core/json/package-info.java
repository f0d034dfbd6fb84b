/**
 * JSON reading (through Jakarta JSON Processing) and writing, in Herald's compact form and in the
 * exact form of Python's {@code json.dumps(payload, sort_keys=True)} that legacy receivers
 * re-create before verifying.
 */
package dev.herald.webhooks.core.json;

package dev.herald.webhooks.worker;

import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.SigningSecret;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One signer per endpoint, made again when its secrets change (a rotation). Thread-safe. */
final class Signers {
  private record Entry(List<SigningSecret> secrets, WebhookSigner signer) {}

  private final Map<String, Entry> byEndpoint = new ConcurrentHashMap<>();

  WebhookSigner of(Endpoint endpoint) {
    Entry entry = byEndpoint.get(endpoint.id());
    if (entry == null || !entry.secrets().equals(endpoint.secrets())) {
      entry =
          new Entry(
              endpoint.secrets(),
              new WebhookSigner(
                  endpoint.signatureProfile(), endpoint.headerPrefix(), endpoint.secrets()));
      byEndpoint.put(endpoint.id(), entry);
    }
    return entry.signer();
  }
}

package dev.herald.webhooks.transport.http;

import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.spi.TransportConfig;
import dev.herald.webhooks.spi.TransportProvider;

/**
 * The {@code http} transport provider, found through {@code
 * META-INF/services/dev.herald.webhooks.spi.TransportProvider}. Stateless and thread-safe; each
 * {@link #create} builds one {@link HttpTransport} with its own connection pool.
 */
public final class HttpTransportProvider implements TransportProvider {

  /** The name endpoints and configuration use to select this transport. */
  public static final String NAME = "http";

  public HttpTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /** Endpoint URLs are checked by the SSRF policy when they are saved, not here. */
  @Override
  public boolean deliversToEndpoints() {
    return true;
  }

  /**
   * @throws IllegalArgumentException naming the key and what it allows when a value is invalid
   * @see HttpTransportSettings#from(TransportConfig)
   */
  @Override
  public Transport create(TransportConfig config) {
    return new HttpTransport(HttpTransportSettings.from(config));
  }
}

package dev.herald.webhooks.spi;

/**
 * A named factory of {@link Transport}s. Third parties add a transport (Kafka, SQS, ...) with a jar
 * that holds an implementation and lists it in {@code
 * META-INF/services/dev.herald.webhooks.spi.TransportProvider}. Implementations need a public
 * no-argument constructor and are thread-safe.
 */
public interface TransportProvider {

  /** The name endpoints and configuration use to select this transport, e.g. {@code http}. */
  String name();

  /**
   * Creates the transport once per process.
   *
   * @throws IllegalArgumentException when the configuration is invalid, naming the key and what is
   *     allowed
   */
  Transport create(TransportConfig config);
}

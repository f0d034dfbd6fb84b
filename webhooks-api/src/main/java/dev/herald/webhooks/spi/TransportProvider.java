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
   * Whether endpoints may choose this transport (their {@code transport} field), with a destination
   * of this transport's own in their {@code url}. The Redis transport of the migration phases does
   * not; the HTTP transport and delivery transports such as a message broker's do.
   */
  default boolean deliversToEndpoints() {
    return false;
  }

  /**
   * Checks an endpoint's destination when the endpoint is saved, e.g. {@code
   * amqp://broker/vhost/exchange}, so that a tenant learns at once, not at the first delivery, that
   * it cannot work or that the operator does not allow it. Only called when {@link
   * #deliversToEndpoints()}. Accepts everything by default.
   *
   * @param config the operator's settings, as {@link #create} gets them (e.g. allowed hosts)
   * @throws IllegalArgumentException saying what is wrong, shown to the tenant
   */
  default void checkDestination(String destination, TransportConfig config) {}

  /**
   * Creates the transport once per process.
   *
   * @throws IllegalArgumentException when the configuration is invalid, naming the key and what is
   *     allowed
   */
  Transport create(TransportConfig config);
}

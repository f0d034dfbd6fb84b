package dev.herald.webhooks.spi;

import java.util.Locale;

/** The life of a delivery: pending, in flight under a lease, then succeeded or dead. */
public enum DeliveryStatus {
  PENDING,
  IN_FLIGHT,
  SUCCEEDED,
  DEAD;

  /** The lower-case name used in JSON and query parameters. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the allowed values
   */
  public static DeliveryStatus fromWireName(String name) {
    for (DeliveryStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown delivery status '" + name + "'; allowed: pending, in_flight, succeeded, dead");
  }
}

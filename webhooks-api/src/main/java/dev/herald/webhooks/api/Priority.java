package dev.herald.webhooks.api;

/** Claim priority of an event type: high-priority deliveries are claimed before normal and low. */
public enum Priority {
  HIGH,
  NORMAL,
  LOW;

  /** Lower rank is claimed first. */
  public int rank() {
    return ordinal();
  }
}

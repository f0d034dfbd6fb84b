package dev.herald.webhooks.verifier;

import java.time.Instant;
import java.util.Objects;

/**
 * A request whose signature and timestamp were verified: its id, signed timestamp and event type.
 *
 * <p>Record-shaped (accessors {@code id()}, {@code timestamp()}, {@code eventType()}) but a final
 * class, because this jar targets Java 11. Which parts the signature covers depends on the profile:
 * for {@code standard} the id, timestamp and body; for {@code legacy-hex} only the timestamp and
 * body, so the id and event type there are informative, not authenticated. Receivers that act on
 * the event type should read it from the verified body.
 */
public final class VerifiedWebhook {

  private final String id;
  private final Instant timestamp;
  private final String eventType;

  /**
   * Creates a result.
   *
   * @param id the message id, or {@code null} when the request carried none
   * @param timestamp the signed timestamp, never {@code null}
   * @param eventType the event type from the headers, or {@code null}
   */
  public VerifiedWebhook(String id, Instant timestamp, String eventType) {
    this.id = id;
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.eventType = eventType;
  }

  /**
   * Returns the message id: {@code webhook-id} for {@code standard}, {@code X-{Prefix}-Delivery}
   * for {@code legacy-hex}. Use it to drop duplicate deliveries.
   *
   * @return the id, or {@code null} if a {@code legacy-hex} request had no delivery header
   */
  public String id() {
    return id;
  }

  /**
   * Returns the signed timestamp, to the second.
   *
   * @return the timestamp, never {@code null}
   */
  public Instant timestamp() {
    return timestamp;
  }

  /**
   * Returns the event type named in the headers: {@code X-Herald-Event-Type} for {@code standard},
   * {@code X-{Prefix}-Event} for {@code legacy-hex}. Not covered by the signature.
   *
   * @return the event type, or {@code null} if absent
   */
  public String eventType() {
    return eventType;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof VerifiedWebhook)) {
      return false;
    }
    VerifiedWebhook other = (VerifiedWebhook) o;
    return Objects.equals(id, other.id)
        && timestamp.equals(other.timestamp)
        && Objects.equals(eventType, other.eventType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, timestamp, eventType);
  }

  @Override
  public String toString() {
    return "VerifiedWebhook[id="
        + id
        + ", timestamp="
        + timestamp
        + ", eventType="
        + eventType
        + "]";
  }
}

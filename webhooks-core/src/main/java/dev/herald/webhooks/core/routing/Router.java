package dev.herald.webhooks.core.routing;

import dev.herald.webhooks.api.MigrationPhase;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.filter.PayloadFilter;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing decisions of DESIGN section 6, as pure functions of the phase and the subscriptions.
 *
 * <table>
 *   <caption>destinations per phase</caption>
 *   <tr><th>phase</th><th>webhooks</th><th>Redis</th></tr>
 *   <tr><td>redis-only</td><td>no</td><td>every event</td></tr>
 *   <tr><td>dual</td><td>yes</td><td>every event</td></tr>
 *   <tr><td>webhook-primary</td><td>yes</td><td>only as a fallback, see {@link
 *       #fallsBackToRedis}</td></tr>
 *   <tr><td>webhook-only</td><td>yes</td><td>no</td></tr>
 * </table>
 */
public final class Router {

  private Router() {}

  /**
   * The destinations of one event at publish time: one per active endpoint whose event types match
   * and whose payload filter, if it has one, accepts the event (in the phases that send webhooks),
   * plus Redis in {@code redis-only} and {@code dual}.
   */
  public static List<DeliveryTarget> route(
      MigrationPhase phase, NewEvent event, List<Endpoint> tenantEndpoints) {
    List<DeliveryTarget> targets = new ArrayList<>();
    if (phase.sendsWebhooks()) {
      for (Endpoint endpoint : tenantEndpoints) {
        if (endpoint.active()
            && SubscriptionFilter.anyMatches(endpoint.eventTypes(), event.type())
            && (endpoint.filter() == null || PayloadFilter.matches(endpoint.filter(), event))) {
          targets.add(DeliveryTarget.endpoint(endpoint));
        }
      }
    }
    if (phase.publishesEveryEventToRedis()) {
      targets.add(DeliveryTarget.redis());
    }
    return List.copyOf(targets);
  }

  /**
   * Whether a webhook delivery that went dead, or whose endpoint's circuit is open, sends its event
   * to Redis: only in {@code webhook-primary}, judged by the phase in force when that happens
   * (after a roll-forward to {@code webhook-only} nothing falls back; in {@code dual} and {@code
   * redis-only} Redis already has the event).
   */
  public static boolean fallsBackToRedis(MigrationPhase currentPhase) {
    return currentPhase == MigrationPhase.WEBHOOK_PRIMARY;
  }
}

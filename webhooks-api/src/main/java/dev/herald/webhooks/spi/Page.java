package dev.herald.webhooks.spi;

import java.util.List;

/**
 * One page of a listing and the opaque cursor of the next page (null on the last page).
 *
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}

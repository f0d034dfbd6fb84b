package dev.herald.webhooks.core.ids;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes prefixed ULIDs such as {@code evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S}: 48 bits of milliseconds and
 * 80 random bits in Crockford base 32, so ids sort by creation time. Thread-safe.
 */
public final class Ids {
  public static final String EVENT = "evt_";
  public static final String DELIVERY = "dlv_";
  public static final String ENDPOINT = "wh_";

  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public Ids(Clock clock) {
    this.clock = clock;
  }

  public static Ids system() {
    return new Ids(Clock.systemUTC());
  }

  public String next(String prefix) {
    return prefix + ulid(clock.millis());
  }

  static String ulid(long millis) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[26];
    long time = millis;
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 base-32 characters, 5 bits at a time.
    long high = 0;
    for (int i = 0; i < 5; i++) {
      high = (high << 8) | (random[i] & 0xff);
    }
    long low = 0;
    for (int i = 5; i < 10; i++) {
      low = (low << 8) | (random[i] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = CROCKFORD[(int) (high & 31)];
      high >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = CROCKFORD[(int) (low & 31)];
      low >>>= 5;
    }
    return new String(out);
  }
}

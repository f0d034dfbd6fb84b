package dev.herald.webhooks.core.retry;

/** Argument checks in the SmallRye Fault Tolerance style: return the value, or fail saying why. */
final class Checks {
  private Checks() {}

  static <T> T check(T value, boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }

  static int check(int value, boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }

  static double check(double value, boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
    return value;
  }
}

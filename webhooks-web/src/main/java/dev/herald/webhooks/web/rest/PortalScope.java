package dev.herald.webhooks.web.rest;

import java.util.regex.Pattern;

/**
 * The API routes a portal link reaches (DESIGN 16): its tenant's endpoints, deliveries and dead
 * letters, and what the admin UI reads to show them. Everything else (publishing, API keys,
 * tenants, portal links, operator routes) is refused before any resource runs. A path segment
 * cannot start with a dot, so no {@code ..} can lead out of an allowed route.
 */
final class PortalScope {
  private static final String SEGMENT = "[A-Za-z0-9_-][A-Za-z0-9_.-]*";
  private static final Pattern ANY_METHOD =
      Pattern.compile("v1/(webhooks|dead-letters)(/" + SEGMENT + ")*");
  private static final Pattern READ =
      Pattern.compile(
          "v1/(event-types(/"
              + SEGMENT
              + ")*|transports|events/"
              + SEGMENT
              + "|insights/(circuits|timeline)|portal-links/current)");
  private static final Pattern WRITE = Pattern.compile("v1/filters/test");

  private PortalScope() {}

  /** Whether a portal link may call {@code method} on {@code path} (relative to {@code /api}). */
  static boolean allows(String method, String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (ANY_METHOD.matcher(p).matches()) {
      return true;
    }
    return switch (method) {
      case "GET", "HEAD" -> READ.matcher(p).matches();
      case "POST" -> WRITE.matcher(p).matches();
      default -> false;
    };
  }
}

package dev.herald.webhooks.web.admin;

import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * The admin UI's security headers. Its pages load nothing but their own scripts, styles and API, so
 * the content security policy allows only Herald's origin. No other site may frame it, except the
 * portal ({@code /admin/?portal}, opened by a portal link), which the origins of {@code
 * HERALD_PORTAL_FRAME_ANCESTORS} may embed; a page opened as the portal never asks for an API key,
 * so a framed page can only ever hold a portal link's tenant-scoped token.
 */
@WebFilter("/admin/*")
public class AdminPageHeaders extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final String POLICY =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors ";

  @Inject transient HeraldConfiguration configuration;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    boolean portal = request.getParameter("portal") != null;
    List<String> ancestors =
        configuration.settings().map(HeraldSettings::portalFrameAncestors).orElse(List.of());
    if (portal) {
      response.setHeader(
          "Content-Security-Policy",
          POLICY + "'self'" + (ancestors.isEmpty() ? "" : " " + String.join(" ", ancestors)));
    } else {
      response.setHeader("Content-Security-Policy", POLICY + "'none'");
      response.setHeader("X-Frame-Options", "DENY");
    }
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    chain.doFilter(request, response);
  }
}

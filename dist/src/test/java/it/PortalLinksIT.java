package it;

import static it.RestApiIT.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import it.ApiCalls.Reply;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Portal links over REST (DESIGN 16): what a link's token reaches and what it does not, and that it
 * stops when revoked or expired. The browser side is in {@code it.ui.AdminUiIT}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PortalLinksIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  @BeforeEach
  void useApi() {
    RestApiIT.useApi(app);
  }

  private static Map<String, Object> link(String key, String body) throws Exception {
    Reply created = call("POST", "/portal-links", key, body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json();
  }

  private static String token(Map<String, Object> link) {
    String url = (String) link.get("url");
    return url.substring(url.indexOf("#token=") + "#token=".length());
  }

  private static String webhook(String key) throws Exception {
    Reply created =
        call(
            "POST",
            "/webhooks",
            key,
            "{\"url\":\"http://127.0.0.1:9/hook\",\"event_types\":[\"memory.*\"]}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return (String) created.json().get("id");
  }

  @Test
  void aLinkOpensTheAdminUiAsThePortalAndListsWithoutItsToken() throws Exception {
    String key = RestApiIT.newTenant();
    Instant before = Instant.now();
    Map<String, Object> link = link(key, "{\"ttl\":\"15m\"}");
    String url = (String) link.get("url");
    assertThat(url).startsWith(app + "admin/?portal#token=hpl_");
    assertThat(token(link)).matches("hpl_[A-Za-z0-9_-]{43}");
    assertThat((String) link.get("id")).startsWith("prt_");
    Instant expires = Instant.parse((String) link.get("expires_at"));
    assertThat(expires).isBetween(before.plusSeconds(899), Instant.now().plusSeconds(901));

    Reply listed = call("GET", "/portal-links", key, null);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.raw().body()).contains((String) link.get("id")).doesNotContain("hpl_");
    Instant defaultExpiry = Instant.parse((String) link(key, "{}").get("expires_at"));
    assertThat(defaultExpiry).as("15 minutes without a ttl").isAfter(expires.minusSeconds(60));

    Reply current = call("GET", "/portal-links/current", token(link), null);
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.json()).containsEntry("id", link.get("id"));
    assertThat(call("GET", "/portal-links/current", key, null).status()).isEqualTo(404);

    HttpResponse<String> page = get(url.substring(0, url.indexOf('#')));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'self' http://127.0.0.1:*");
    HttpResponse<String> operatorPage = get(app + "admin/");
    assertThat(operatorPage.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'none'");
    assertThat(operatorPage.headers().firstValue("X-Frame-Options")).contains("DENY");
  }

  /** A page as a browser asks for it: the fragment, which holds the token, stays behind. */
  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLinkReachesItsTenantsEndpointsDeliveriesAndDeadLettersOnly() throws Exception {
    String key = RestApiIT.newTenant();
    String otherKey = RestApiIT.newTenant();
    String mine = webhook(key);
    String theirs = webhook(otherKey);
    String token = token(link(key, "{}"));

    Reply list = call("GET", "/webhooks", token, null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.raw().body()).contains(mine).doesNotContain(theirs);
    assertThat(call("GET", "/webhooks/" + mine + "/deliveries", token, null).status())
        .isEqualTo(200);
    assertThat(call("GET", "/dead-letters", token, null).status()).isEqualTo(200);
    assertThat(call("GET", "/webhooks/" + theirs, token, null).status())
        .as("another tenant's endpoint")
        .isEqualTo(404);
    Reply patched = call("PATCH", "/webhooks/" + mine, token, "{\"description\":\"from portal\"}");
    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    String created = webhook(token);
    assertThat(call("GET", "/webhooks/" + created, key, null).status())
        .as("an endpoint made in the portal is the tenant's")
        .isEqualTo(200);

    for (List<String> refused :
        List.of(
            List.of("POST", "/portal-links", "{}"),
            List.of("GET", "/portal-links", ""),
            List.of("POST", "/events", "{\"type\":\"memory.created\",\"data\":{}}"),
            List.of("POST", "/events/batch", "{\"events\":[]}"),
            List.of("GET", "/tenants", ""),
            List.of("POST", "/tenants/x/api-keys", "{}"),
            List.of("GET", "/admin/migration", ""),
            List.of("GET", "/insights/overview", ""),
            List.of("GET", "/webhooks/../tenants", ""))) {
      Reply reply =
          call(
              refused.get(0),
              refused.get(1),
              token,
              refused.get(2).isEmpty() ? null : refused.get(2));
      assertThat(reply.status()).as("%s %s", refused.get(0), refused.get(1)).isIn(403, 404);
      assertThat(reply.contentType()).startsWith("application/problem+json");
    }
    assertThat(call("GET", "/tenants", token, null).status()).isEqualTo(403);
    assertThat(call("POST", "/portal-links", token, "{}").status()).isEqualTo(403);
    assertThat(call("POST", "/portal-links", RestApiIT.OPERATOR, "{}").status())
        .as("the operator has no tenant to open a portal on")
        .isEqualTo(403);
  }

  @Test
  void aRevokedLinkStopsAtOnceAndAnExpiredOneWhenItsTimeIsUp() throws Exception {
    String key = RestApiIT.newTenant();
    Map<String, Object> revoked = link(key, "{\"ttl\":\"1h\"}");
    Map<String, Object> kept = link(key, "{\"ttl\":\"1h\"}");
    assertThat(call("GET", "/webhooks", token(revoked), null).status()).isEqualTo(200);
    assertThat(call("DELETE", "/portal-links/" + revoked.get("id"), token(kept), null).status())
        .as("a link cannot revoke links")
        .isEqualTo(403);
    assertThat(call("DELETE", "/portal-links/" + revoked.get("id"), key, null).status())
        .isEqualTo(204);
    Reply refused = call("GET", "/webhooks", token(revoked), null);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().get("detail").toString()).contains("expired or was revoked");
    assertThat(call("GET", "/webhooks", token(kept), null).status()).isEqualTo(200);
    assertThat(call("DELETE", "/portal-links/" + revoked.get("id"), key, null).status())
        .isEqualTo(404);
    assertThat(call("GET", "/portal-links", key, null).raw().body())
        .doesNotContain((String) revoked.get("id"));

    Map<String, Object> brief = link(key, "{\"ttl\":\"10s\"}");
    assertThat(call("GET", "/webhooks", token(brief), null).status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> call("GET", "/webhooks", token(brief), null).status() == 401);
    assertThat(Instant.now()).isAfter(Instant.parse((String) brief.get("expires_at")));
  }

  @Test
  void aTtlOutsideTenSecondsToADayIsRefusedWithTheField() throws Exception {
    String key = RestApiIT.newTenant();
    for (String body :
        List.of(
            "{\"ttl\":\"5s\"}",
            "{\"ttl\":\"25h\"}",
            "{\"ttl\":\"soon\"}",
            "{\"ttl\":15}",
            "{\"ttl\":\"15m\",\"tenant\":\"other\"}")) {
      Reply reply = call("POST", "/portal-links", key, body);
      assertThat(reply.status()).as(body).isIn(400, 422);
      assertThat(reply.contentType()).startsWith("application/problem+json");
    }
    Reply tooShort = call("POST", "/portal-links", key, "{\"ttl\":\"5s\"}");
    assertThat(tooShort.status()).isEqualTo(422);
    assertThat(tooShort.json()).containsEntry("field", "ttl");
    assertThat(call("POST", "/portal-links", null, "{}").status()).isEqualTo(401);
  }
}

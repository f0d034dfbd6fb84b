package it.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import it.Deployments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The admin UI in Chromium against the real server, as tenants and operators use it. Screenshots of
 * the main screens land in target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminUiIT {
  private static final int WIDE = 1280;
  private static final int PHONE = 390;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.heraldWar();
  }

  @ArquillianResource URL app;

  private Api api;
  private LoopbackReceiver receiver;
  private Browser browser;

  /** A failed test leaves a picture of the page it failed on: target/screenshots/failed-*.png. */
  @RegisterExtension
  final AfterTestExecutionCallback screenshotOnFailure =
      context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
          browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
        }
      };

  @BeforeEach
  void start() throws Exception {
    api = new Api(app);
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> api.call("GET", "/event-types", null, null).containsKey("items"));
    receiver = new LoopbackReceiver();
    browser = new Browser(WIDE, 900);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      List<String> refused =
          browser.console().stream()
              .filter(m -> m.contains("Content Security Policy") && !m.contains("frame-ancestors"))
              .toList();
      browser.close();
      assertThat(refused).as("what the content security policy refused").isEmpty();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private String admin() {
    return app + "admin/";
  }

  private void signIn(String key) {
    browser.open(admin());
    browser.type(By.id("api-key"), key);
    browser.click(By.id("sign-in"));
    browser.find(By.id("sign-out"));
  }

  private String createEndpoint(String key, String filters) throws Exception {
    return (String)
        api.call(
                "POST",
                "/webhooks",
                key,
                "{\"url\":\"" + receiver.url() + "\",\"event_types\":" + filters + "}")
            .get("id");
  }

  @Test
  void aTenantCreatesAnEndpointSeesItsSecretOnceAndWatchesATestEventArrive() throws Exception {
    String key = api.newTenant("Acme Robotics");
    browser.open(admin());
    browser.find(By.id("api-key"));
    browser.screenshot("01-sign-in");

    signIn(key);
    browser.click(By.id("new-endpoint"));
    browser.type(By.id("endpoint-url"), receiver.url());
    browser.type(By.id("endpoint-description"), "Robot fleet notifications");
    browser.click(By.cssSelector("label[for='et-memory--']"));
    browser.click(By.cssSelector("label[for='et-user-created']"));
    browser.type(By.id("endpoint-max-in-flight"), "4");
    browser.type(By.id("endpoint-rate-limit"), "50");
    browser.type(By.id("endpoint-retries"), "1s, 10s");
    browser.screenshot("02-new-endpoint");
    browser.click(By.id("save-endpoint"));

    String secret = browser.find(By.id("endpoint-secret")).getText();
    assertThat(secret).startsWith("whsec_");
    assertThat(browser.find(By.id("secret-once")).getText())
        .contains("only time the secret is shown");
    browser.screenshot("03-secret-shown-once");
    browser.click(By.id("secret-done"));
    browser.find(By.id("send-test"));

    // Some traffic for the statistics and charts, and a second endpoint that is switched off.
    String endpoint = browser.driver().getCurrentUrl().replaceAll(".*#/endpoints/", "");
    assertThat(api.call("GET", "/webhooks/" + endpoint, key, null))
        .containsEntry("max_in_flight", 4L)
        .containsEntry("rate_limit_per_second", new java.math.BigDecimal("50.0"))
        .containsEntry("retry_policy", Map.of("delays", List.of("1s", "10s")));
    for (int i = 0; i < 5; i++) {
      api.call(
          "POST",
          "/events",
          key,
          "{\"type\":\"memory.created\",\"data\":{\"memory_id\":\"m-"
              + i
              + "\",\"user_id\":\"u-1\"}}");
    }
    await().atMost(Browser.DEADLINE).until(() -> receiver.bodies().size() >= 5);
    String spare = createEndpoint(key, "[\"quota.*\"]");
    api.call(
        "PATCH",
        "/webhooks/" + spare,
        key,
        "{\"active\":false,\"description\":\"Billing alerts (paused)\"}");
    assertThat(endpoint).startsWith("wh_");

    browser.click(By.id("send-test"));
    await().atMost(Browser.DEADLINE).until(() -> receiver.bodies().size() == 6);
    browser.until(
        Duration.ofSeconds(40),
        d -> d.findElement(By.id("test-watch")).getText().contains("delivered"));
    browser.find(By.cssSelector("#history-rows tr[data-status='succeeded'][data-event^='evt_']"));
    // The page reloads its statistics and charts once the test delivery is done.
    browser.waitForText(By.id("endpoint-stats"), "6 attempts");
    browser.until(
        d ->
            d.findElement(By.id("chart-outcomes"))
                .getAttribute("aria-label")
                .contains("6 succeeded"));
    assertThat(browser.driver().getPageSource()).doesNotContain(secret);
    browser.screenshot("04-endpoint-detail");

    browser.click(By.cssSelector("#test-watch a"));
    WebElement attempt = browser.find(By.cssSelector("#attempts tr[data-attempt='1']"));
    assertThat(attempt.getText()).contains("200").contains("ok");
    browser.screenshot("05-delivery-attempts");

    browser.click(By.linkText("Endpoints"));
    By row = By.cssSelector("tr[data-endpoint='" + endpoint + "']");
    browser.waitForText(row, "100 %");
    browser.waitForText(
        By.cssSelector("tr[data-endpoint='" + spare + "']"), "disabled by the tenant");
    assertThat(browser.find(row).getText())
        .contains(receiver.url())
        .contains("active")
        .contains("memory.*");
    browser.screenshot("06-endpoint-list");
    browser.resize(PHONE, 844);
    browser.find(row);
    browser.screenshot("07-endpoint-list-phone");
    browser.resize(WIDE, 900);

    browser.click(By.cssSelector("tr[data-endpoint='" + endpoint + "'] a.url"));
    browser.click(By.id("rotate-secret"));
    browser.confirm();
    String rotated = browser.find(By.cssSelector("#rotated #endpoint-secret")).getText();
    assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);

    browser.click(By.id("sign-out"));
    browser.find(By.id("api-key"));
    assertThat(browser.script("return sessionStorage.length;")).isEqualTo(0L);
  }

  @Test
  void aTenantChoosesAnInstalledTransportAndItsDestinationIsCheckedByIt() throws Exception {
    String key = api.newTenant("Hooli");
    signIn(key);
    browser.click(By.id("new-endpoint"));
    browser.choose(By.id("endpoint-transport"), "rabbitmq");
    assertThat(browser.find(By.id("endpoint-url")).getAttribute("placeholder"))
        .startsWith("amqp://");
    browser.type(By.id("endpoint-url"), "amqp://user:pw@127.0.0.1/amq.topic");
    browser.click(By.cssSelector("label[for='et-user-created']"));
    browser.click(By.id("save-endpoint"));
    browser.waitForText(By.id("form-errors"), "credentials do not belong in the destination");
    assertThat(browser.find(By.id("endpoint-url")).getAttribute("aria-invalid")).isEqualTo("true");

    browser.find(By.id("endpoint-url")).clear();
    browser.type(By.id("endpoint-url"), "amqp://127.0.0.1/amq.topic");
    browser.screenshot("14-endpoint-on-rabbitmq");
    browser.click(By.id("save-endpoint"));
    assertThat(browser.find(By.id("endpoint-secret")).getText()).startsWith("whsec_");
    browser.click(By.id("secret-done"));
    assertThat(browser.find(By.id("endpoint-transport-value")).getText()).isEqualTo("rabbitmq");
    String endpoint = browser.driver().getCurrentUrl().replaceAll(".*#/endpoints/", "");
    assertThat(api.call("GET", "/webhooks/" + endpoint, key, null))
        .containsEntry("transport", "rabbitmq")
        .containsEntry("url", "amqp://127.0.0.1/amq.topic");

    // The broker confirms the event on its built-in topic exchange.
    String event =
        (String)
            api.call(
                    "POST",
                    "/events",
                    key,
                    "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u\"}}")
                .get("id");
    await()
        .atMost(Browser.DEADLINE)
        .until(
            () ->
                api.call("GET", "/events/" + event, key, null)
                    .toString()
                    .contains("status=succeeded"));
  }

  @Test
  void aTenantWritesAPayloadFilterAndTriesItOnAnExampleBeforeSaving() throws Exception {
    String key = api.newTenant("Vandelay");
    signIn(key);
    browser.click(By.id("new-endpoint"));
    browser.type(By.id("endpoint-url"), receiver.url());
    browser.click(By.cssSelector("label[for='et-memory--']"));
    browser.type(By.id("endpoint-filter"), "data.importance >= ");
    browser.choose(By.id("filter-example-type"), "memory.created");
    browser.click(By.id("test-filter"));
    browser.waitForText(By.id("filter-result"), "at 1:");
    assertThat(browser.find(By.id("endpoint-filter")).getAttribute("aria-invalid"))
        .isEqualTo("true");

    browser.find(By.id("endpoint-filter")).clear();
    browser.type(By.id("endpoint-filter"), "has(data.memory_id) && type.startsWith(\"memory.\")");
    browser.click(By.id("test-filter"));
    browser.waitForText(By.id("filter-result"), "The example memory.created event matches.");
    browser.choose(By.id("filter-example-type"), "user.created");
    browser.click(By.id("test-filter"));
    browser.waitForText(By.id("filter-result"), "The example user.created event does not match.");
    browser.screenshot("15-payload-filter");
    browser.click(By.id("save-endpoint"));
    browser.click(By.id("secret-done"));
    String endpoint = browser.driver().getCurrentUrl().replaceAll(".*#/endpoints/", "");
    assertThat(api.call("GET", "/webhooks/" + endpoint, key, null))
        .containsEntry("filter", "has(data.memory_id) && type.startsWith(\"memory.\")");
    assertThat(browser.find(By.id("endpoint-filter-value")).getText())
        .isEqualTo("has(data.memory_id) && type.startsWith(\"memory.\")");
  }

  @Test
  void aTenantOrdersBySubjectAndBatchesThenSendsOneEventPerRequestAgain() throws Exception {
    String key = api.newTenant("Initech");
    signIn(key);
    browser.click(By.id("new-endpoint"));
    browser.type(By.id("endpoint-url"), receiver.url());
    browser.click(By.cssSelector("label[for='et-memory--']"));
    browser.choose(By.id("endpoint-ordering"), "subject");
    browser.type(By.id("endpoint-batch-events"), "0");
    browser.click(By.id("save-endpoint"));
    browser.waitForText(By.id("form-errors"), "max_events");
    assertThat(browser.find(By.id("endpoint-batch-events")).getAttribute("aria-invalid"))
        .isEqualTo("true");

    browser.find(By.id("endpoint-batch-events")).clear();
    browser.type(By.id("endpoint-batch-events"), "50");
    browser.type(By.id("endpoint-batch-wait"), "2000");
    browser.screenshot("16-ordering-and-batching");
    browser.click(By.id("save-endpoint"));
    browser.click(By.id("secret-done"));
    String endpoint = browser.driver().getCurrentUrl().replaceAll(".*#/endpoints/", "");
    assertThat(api.call("GET", "/webhooks/" + endpoint, key, null))
        .containsEntry("ordering", "subject")
        .containsEntry("batch", Map.of("max_events", 50L, "max_wait_ms", 2000L));
    assertThat(browser.find(By.id("endpoint-ordering-value")).getText())
        .isEqualTo("per subject, in sequence order");
    assertThat(browser.find(By.id("endpoint-batch-value")).getText())
        .isEqualTo("up to 50 events per request, waiting at most 2000 ms");

    browser.open(admin() + "#/endpoints/" + endpoint + "/edit");
    browser.find(By.id("endpoint-batch-events")).clear();
    browser.click(By.id("save-endpoint"));
    browser.waitForText(By.id("endpoint-batch-value"), "one event per request");
    assertThat(api.call("GET", "/webhooks/" + endpoint, key, null))
        .containsEntry("ordering", "subject")
        .doesNotContainKey("batch");
  }

  @Test
  void anEndpointCreatedWithAHandshakeWaitsAndIsValidatedFromItsPage() throws Exception {
    String key = api.newTenant("Hooli");
    signIn(key);
    browser.click(By.id("new-endpoint"));
    browser.type(By.id("endpoint-url"), receiver.url());
    browser.click(By.cssSelector("label[for='et-user--']"));
    browser.click(By.cssSelector("label[for='endpoint-handshake']"));
    browser.click(By.id("save-endpoint"));
    browser.click(By.id("secret-done"));
    browser.waitForText(By.id("endpoint-state"), "pending validation");
    assertThat(browser.find(By.id("endpoint-state")).getText())
        .contains("WebHook-Allowed-Origin is missing");
    browser.screenshot("17-pending-validation");

    receiver.allowOrigin("*");
    browser.click(By.id("validate-endpoint"));
    browser.waitForText(By.id("endpoint-state"), "active");
    String endpoint = browser.driver().getCurrentUrl().replaceAll(".*#/endpoints/", "");
    assertThat(api.call("GET", "/webhooks/" + endpoint, key, null))
        .containsEntry("state", "active")
        .containsEntry("handshake", true);
  }

  @Test
  void aFailedDeliveryShowsItsAttemptsAndSucceedsWhenRetried() throws Exception {
    String key = api.newTenant("Globex");
    String endpoint = createEndpoint(key, "[\"user.*\"]");
    // A 404 is not retried: the delivery goes dead after its first attempt.
    receiver.answer(404);
    api.call("POST", "/events", key, "{\"type\":\"user.created\",\"data\":{\"user_id\":\"u-42\"}}");
    await().atMost(Browser.DEADLINE).until(() -> !receiver.bodies().isEmpty());

    signIn(key);
    browser.open(admin() + "#/endpoints/" + endpoint);
    browser.until(
        d -> {
          new org.openqa.selenium.support.ui.Select(d.findElement(By.id("filter-status")))
              .selectByValue("dead");
          d.findElement(By.cssSelector("#history-filters button[type='submit']")).click();
          return d.findElements(By.cssSelector("#history-rows tr[data-status='dead']")).size() == 1;
        });
    browser.click(By.cssSelector("#history-rows tr a.button"));
    WebElement failed = browser.find(By.cssSelector("#attempts tr[data-attempt='1']"));
    assertThat(failed.getText()).contains("404").contains("not today");
    browser.screenshot("08-failed-delivery");

    receiver.answer(200);
    browser.click(By.id("retry-delivery"));
    browser.until(
        d -> {
          d.findElement(By.id("reload-attempts")).click();
          return d.findElements(By.cssSelector("#attempts tr[data-attempt='2']")).size() == 1;
        });
    assertThat(browser.find(By.cssSelector("#attempts tr[data-attempt='2']")).getText())
        .contains("200");
    browser.screenshot("09-retried-delivery");
  }

  @Test
  void aRefusedUrlIsExplainedInPlainWords() throws Exception {
    signIn(api.newTenant("Initech"));
    browser.click(By.id("new-endpoint"));
    browser.type(By.id("endpoint-url"), "http://10.0.0.1/hook");
    browser.click(By.cssSelector("label[for='et--']"));
    browser.click(By.id("save-endpoint"));
    WebElement error = browser.find(By.cssSelector("#form-errors [role='alert']"));
    assertThat(error.getText()).contains("URL refused").contains("10.0.0.0/8");
    assertThat(browser.find(By.id("endpoint-url")).getAttribute("aria-invalid")).isEqualTo("true");
    browser.screenshot("10-url-refused");
  }

  @Test
  void anOperatorManagesTenantsAndChangesThePhaseAfterConfirming() throws Exception {
    try {
      signIn(Api.OPERATOR);
      browser.find(By.id("chart-queue"));
      browser.screenshot("11-operator-overview");

      browser.click(By.linkText("Tenants"));
      String id = "ui-op-" + Long.toHexString(System.nanoTime());
      browser.type(By.id("tenant-id"), id);
      browser.type(By.id("tenant-name"), "Umbrella Corp");
      browser.click(By.id("create-tenant"));
      assertThat(browser.find(By.id("issued-key")).getText()).startsWith("hrk_");
      browser.find(By.cssSelector("tr[data-tenant='" + id + "']"));
      browser.screenshot("12-tenants");

      String doomed = "ui-gone-" + Long.toHexString(System.nanoTime());
      browser.type(By.id("tenant-id"), doomed);
      browser.click(By.id("create-tenant"));
      browser.click(By.cssSelector("tr[data-tenant='" + doomed + "'] a"));
      browser.click(By.id("export-tenant"));
      browser.waitForText(By.cssSelector("body"), "Export downloaded.");
      browser.click(By.id("delete-tenant"));
      assertThat(browser.find(By.id("confirm-body")).getText())
          .contains("API keys stop working at once");
      browser.confirm();
      browser.waitForText(By.cssSelector("body"), "deleted; its data is being erased");
      browser.find(By.cssSelector("tr[data-tenant='" + id + "']"));
      assertThat(browser.all(By.cssSelector("tr[data-tenant='" + doomed + "']"))).isEmpty();
      assertThat(api.status("GET", "/tenants/" + doomed + "/api-keys", Api.OPERATOR))
          .isEqualTo(404);

      browser.click(By.linkText("Migration"));
      browser.find(By.id("chart-parity"));
      browser.choose(By.id("phase-select"), "dual");
      browser.click(By.id("change-phase"));
      assertThat(browser.find(By.id("confirm-body")).getText())
          .contains("Every event goes to webhooks and to Redis");
      browser.confirm();
      browser.waitForText(By.id("phase-value"), "Dual");
      assertThat(api.call("GET", "/admin/migration", Api.OPERATOR, null))
          .containsEntry("phase", "dual");
      browser.screenshot("13-migration");
    } finally {
      // The other tests publish under the configured phase.
      Map<String, Object> reset = api.call("DELETE", "/admin/migration", Api.OPERATOR, null);
      assertThat(reset).containsEntry("source", "configuration");
    }
  }

  /** A tenant with a known id; returns its API key. */
  private String newTenant(String id, String name) throws Exception {
    return (String)
        api.call(
                "POST",
                "/tenants",
                Api.OPERATOR,
                "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}")
            .get("api_key");
  }

  private Map<String, Object> portalLink(String key, String ttl) throws Exception {
    return api.call("POST", "/portal-links", key, "{\"ttl\":\"" + ttl + "\"}");
  }

  /** What a call to the API from the page, with the token the page holds, answers. */
  private long statusFromThePage(String method, String path) {
    return (Long)
        browser.script(
            "return fetch(new URL('../api/v1/' + arguments[1], document.baseURI), {method:"
                + " arguments[0], headers: {Authorization: 'Bearer ' +"
                + " sessionStorage.getItem('herald.apiKey'), 'Content-Type':"
                + " 'application/json'}, body: arguments[0] === 'GET' ? undefined : '{}'}).then(r"
                + " => r.status);",
            method,
            path);
  }

  @Test
  void aPortalLinkShowsItsTenantsEndpointsOnlyAndEndsWhenRevoked() throws Exception {
    String tenant = "ui-portal-" + Long.toHexString(System.nanoTime());
    String key = newTenant(tenant, "Globex");
    String mine = createEndpoint(key, "[\"memory.*\"]");
    String theirs = createEndpoint(api.newTenant("Initech"), "[\"memory.*\"]");
    Map<String, Object> link = portalLink(key, "15m");

    browser.open((String) link.get("url"));
    browser.waitForText(By.id("portal-who"), tenant);
    browser.find(By.cssSelector("a[href='#/endpoints/" + mine + "']"));
    assertThat(browser.driver().getCurrentUrl())
        .as("the token leaves the address bar")
        .endsWith("/admin/?portal#/endpoints")
        .doesNotContain("hpl_");
    assertThat(browser.all(By.cssSelector("a[href='#/endpoints/" + theirs + "']"))).isEmpty();
    assertThat(browser.all(By.id("sign-out"))).isEmpty();
    assertThat(browser.find(By.id("nav")).getText()).doesNotContain("Tenants");
    browser.screenshot("18-portal");

    browser.click(By.cssSelector("a[href='#/endpoints/" + mine + "']"));
    browser.click(By.id("send-test"));
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.bodies().size() == 1);
    browser.screenshot("19-portal-endpoint");

    browser.open(admin() + "?portal#/tenants");
    browser.waitForText(By.id("view"), "Not found");
    assertThat(statusFromThePage("GET", "webhooks/" + theirs)).isEqualTo(404);
    assertThat(statusFromThePage("GET", "tenants")).isEqualTo(403);
    assertThat(statusFromThePage("POST", "tenants/" + tenant + "/api-keys")).isEqualTo(403);
    assertThat(statusFromThePage("POST", "portal-links")).isEqualTo(403);
    assertThat(statusFromThePage("GET", "admin/migration")).isEqualTo(403);

    browser.open(admin());
    browser.find(By.id("api-key"));
    assertThat(browser.script("return sessionStorage.getItem('herald.apiKey');"))
        .as("the token does not serve outside the portal page")
        .isNull();

    Map<String, Object> second = portalLink(key, "15m");
    browser.open((String) second.get("url"));
    browser.find(By.cssSelector("a[href='#/endpoints/" + mine + "']"));
    api.call("DELETE", "/portal-links/" + second.get("id"), key, null);
    browser.click(By.cssSelector("a[href='#/dead-letters']"));
    browser.find(By.id("portal-ended"));
    assertThat(browser.all(By.id("api-key"))).as("no way to sign in from a portal").isEmpty();
    assertThat(browser.script("return sessionStorage.getItem('herald.apiKey');")).isNull();
    browser.screenshot("20-portal-ended");
    browser.open((String) second.get("url"));
    browser.find(By.id("portal-ended"));
  }

  @Test
  void aPortalLinkIsFramedByTheAllowedOriginsOnlyAndEndsWhenItExpires() throws Exception {
    String tenant = "ui-embed-" + Long.toHexString(System.nanoTime());
    String key = newTenant(tenant, "Hooli");
    String mine = createEndpoint(key, "[\"memory.*\"]");
    Map<String, Object> link = portalLink(key, "10s");
    try (EmbeddingPage page = new EmbeddingPage((String) link.get("url"))) {
      browser.open(page.url("localhost"));
      assertThat(framedPage()).as("an origin not allowed").startsWith("chrome-error:");
      assertThat(browser.console())
          .anyMatch(m -> m.contains("frame-ancestors") && m.contains("blocked"));
      browser.driver().switchTo().defaultContent();

      browser.open(page.url("127.0.0.1"));
      assertThat(framedPage()).as("an allowed origin").contains("/admin/?portal");
      browser.waitForText(By.id("portal-who"), tenant);
      browser.find(By.cssSelector("a[href='#/endpoints/" + mine + "']"));
      browser.driver().switchTo().defaultContent();
      browser.screenshot("21-portal-embedded");

      Instant expires = Instant.parse((String) link.get("expires_at"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.status("GET", "/webhooks", token(link)) == 401);
      assertThat(Instant.now()).isAfter(expires);
      browser.driver().switchTo().frame("portal");
      browser.click(By.cssSelector("a[href='#/dead-letters']"));
      browser.find(By.id("portal-ended"));
      browser.driver().switchTo().defaultContent();
    }
  }

  private static String token(Map<String, Object> link) {
    String url = (String) link.get("url");
    return url.substring(url.indexOf("#token=") + 7);
  }

  /** Switches into the page's frame once it has loaded something, and says what. */
  private String framedPage() {
    return browser.until(
        driver -> {
          driver.switchTo().defaultContent();
          driver.switchTo().frame("portal");
          String href = (String) browser.script("return location.href;");
          return href.startsWith("about:") ? null : href;
        });
  }

  /** A SaaS page on loopback that shows a portal link in an iframe, reached by either host name. */
  private static final class EmbeddingPage implements AutoCloseable {
    private final HttpServer server;

    EmbeddingPage(String portalUrl) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      byte[] html =
          ("<!doctype html><title>Acme settings</title><h1>Acme: your webhooks</h1>"
                  + "<iframe name=\"portal\" title=\"Webhooks\" width=\"1200\" height=\"700\" src=\""
                  + portalUrl
                  + "\"></iframe>")
              .getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
          });
      server.start();
    }

    String url(String host) {
      return "http://" + host + ":" + server.getAddress().getPort() + "/settings";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}

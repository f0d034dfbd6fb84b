package dev.herald.webhooks.web.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortalLinksResourceTest {

  @Test
  void theLinkOpensThePortalBesideTheApiTheRequestCameTo() {
    assertThat(
            PortalLinksResource.linkUrl(
                Optional.empty(), URI.create("http://10.0.0.5:9080/api/"), "hpl_abc"))
        .hasToString("http://10.0.0.5:9080/admin/?portal#token=hpl_abc");
  }

  @Test
  void thePublicUrlReplacesTheAddressTheBackendUsed() {
    assertThat(
            PortalLinksResource.linkUrl(
                Optional.of(URI.create("https://hooks.example.com/herald/")),
                URI.create("http://herald.internal:9080/api/"),
                "hpl_abc"))
        .hasToString("https://hooks.example.com/herald/admin/?portal#token=hpl_abc");
  }
}

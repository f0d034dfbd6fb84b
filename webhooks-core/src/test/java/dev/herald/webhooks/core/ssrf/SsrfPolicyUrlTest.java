package dev.herald.webhooks.core.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.webhooks.core.ssrf.SsrfViolationException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfPolicyUrlTest {

  private final SsrfPolicy policy = new SsrfPolicy(SsrfSettings.defaults());

  private static SsrfViolationException violation(SsrfPolicy policy, String url) {
    SsrfViolationException e =
        catchThrowableOfType(() -> policy.checkUrl(url), SsrfViolationException.class);
    assertThat(e).as("expected %s to be refused", url).isNotNull();
    return e;
  }

  private SsrfViolationException violation(String url) {
    return violation(policy, url);
  }

  @Test
  void rejectsDecimalEncodedLoopback() {
    SsrfViolationException e = violation("http://2130706433/hook");
    assertThat(e.reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
    assertThat(e.getMessage()).contains("'2130706433'").contains("four decimal octets");
  }

  @Test
  void rejectsOctalLoopback() {
    assertThat(violation("http://0177.0.0.1/").reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.1/", "http://10.1/", "http://127.0.1:8080/"})
  void rejectsShortFormLoopback(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://0x7f000001/", "http://0x7f.0.0.1/", "http://0X7F.0.0.1/"})
  void rejectsHexLoopback(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @Test
  void rejectsZero() {
    assertThat(violation("http://0/").reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.000.000.001/", "http://010.0.0.1/", "http://93.184.216.034/"})
  void rejectsLeadingZerosInAnyOctet(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1./", "http://93.184.216.34./", "http://2130706433./"})
  void rejectsTrailingDotIpv4(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://1.2.3.4.5/", "http://256.0.0.1/", "http://evil.127/"})
  void rejectsHostsEndingInANumberThatAreNotFourOctets(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @Test
  void rejectsNonCanonicalIpv4InsideIpv6Literal() {
    assertThat(violation("http://[::ffff:017.0.0.1]/").reason())
        .isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @Test
  void nonCanonicalLiteralIsRefusedEvenWhenLoopbackIsExempt() {
    SsrfPolicy exempt =
        new SsrfPolicy(SsrfSettings.defaults().withAllowedNetworks(List.of("127.0.0.0/8")));
    assertThatCode(() -> exempt.checkUrl("http://127.0.0.1:8080/")).doesNotThrowAnyException();
    assertThat(violation(exempt, "http://127.1:8080/").reason())
        .isEqualTo(Reason.NON_CANONICAL_IP_LITERAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://93.184.216.34/hook",
        "http://93.184.216.34:8080/hook?x=1",
        "https://[2606:4700::1111]/hook",
        "https://hooks.example.com/x",
        "HTTPS://Hooks.Example.COM:8443/x",
        "https://1e100.net/",
        "https://example.com./"
      })
  void acceptsPublicUrlsWithoutResolving(String url) {
    assertThatCode(() -> policy.checkUrl(url)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://user:secret@example.com/",
        "https://user@example.com/",
        "https://@example.com/",
        "http://user@127.1/"
      })
  void rejectsUserinfo(String url) {
    SsrfViolationException e = violation(url);
    assertThat(e.reason()).isEqualTo(Reason.USERINFO_NOT_ALLOWED);
    assertThat(e.getMessage()).doesNotContain("secret");
  }

  @Test
  void rejectsPortOutsideAllowedList() {
    SsrfViolationException e = violation("https://example.com:22/");
    assertThat(e.reason()).isEqualTo(Reason.PORT_NOT_ALLOWED);
    assertThat(e.getMessage())
        .isEqualTo("port 22 is not allowed; allowed ports: 80, 443, 8080, 8443");
  }

  @Test
  void effectivePortDefaultsFromScheme() {
    SsrfPolicy only443 =
        new SsrfPolicy(SsrfSettings.defaults().withAllowedPorts(SsrfSettings.Ports.of(443)));
    assertThatCode(() -> only443.checkUrl("https://example.com/")).doesNotThrowAnyException();
    SsrfViolationException e = violation(only443, "http://example.com/");
    assertThat(e.reason()).isEqualTo(Reason.PORT_NOT_ALLOWED);
    assertThat(e.getMessage()).startsWith("port 80 is not allowed");
  }

  @Test
  void acceptsAnyPortWithStar() {
    SsrfPolicy any =
        new SsrfPolicy(SsrfSettings.defaults().withAllowedPorts(SsrfSettings.parsePorts("*")));
    assertThatCode(() -> any.checkUrl("https://example.com:22/")).doesNotThrowAnyException();
    assertThatCode(() -> any.checkUrl("https://example.com:65535/")).doesNotThrowAnyException();
    assertThat(violation(any, "https://example.com:65536/").reason())
        .isEqualTo(Reason.PORT_NOT_ALLOWED);
    assertThat(violation(any, "https://example.com:0/").reason())
        .isEqualTo(Reason.PORT_NOT_ALLOWED);
  }

  @Test
  void requiresHttpsInProduction() {
    SsrfPolicy production = new SsrfPolicy(SsrfSettings.defaults().withHttpsOnly(true));
    SsrfViolationException e = violation(production, "http://example.com/");
    assertThat(e.reason()).isEqualTo(Reason.HTTPS_REQUIRED);
    assertThat(e.getMessage()).contains("use https");
    assertThatCode(() -> production.checkUrl("https://example.com/")).doesNotThrowAnyException();
  }

  @Test
  void rejectsFtpScheme() {
    SsrfViolationException e = violation("ftp://example.com/file");
    assertThat(e.reason()).isEqualTo(Reason.SCHEME_NOT_ALLOWED);
    assertThat(e.getMessage())
        .isEqualTo("scheme 'ftp' is not allowed; allowed schemes: http, https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "gopher://example.com/", "example.com/hook"})
  void rejectsOtherSchemesAndRelativeUrls(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.SCHEME_NOT_ALLOWED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http:///hook", "https:example.com", "http://:8080/"})
  void rejectsMissingHost(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.MISSING_HOST);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"http://exa mple.com/", "http://foo_bar/", "http://[::1/"})
  void rejectsMalformedUrl(String url) {
    assertThat(violation(url).reason()).isEqualTo(Reason.MALFORMED_URL);
  }

  @Test
  void rejectsIpv6ZoneId() {
    assertThat(violation("http://[fe80::1%25eth0]/").reason()).isEqualTo(Reason.MALFORMED_URL);
  }

  @Test
  void rejectsIpv6Loopback() {
    SsrfViolationException e = violation("http://[::1]:8080/");
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    assertThat(e.getMessage()).isEqualTo("::1 is in denied range ::1/128 (loopback)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/"})
  void rejectsIpv4MappedLoopbackLiteral(String url) {
    SsrfViolationException e = violation(url);
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    assertThat(e.getMessage()).contains("127.0.0.0/8 (loopback)");
  }

  @Test
  void rejectsCloudMetadataAddress() {
    SsrfViolationException e = violation("http://169.254.169.254/latest/meta-data/");
    assertThat(e.reason()).isEqualTo(Reason.ADDRESS_DENIED);
    assertThat(e.getMessage())
        .isEqualTo(
            "169.254.169.254 is in denied range 169.254.0.0/16 (link-local, cloud metadata)");
  }
}

package dev.herald.webhooks.verifier;

import static dev.herald.webhooks.verifier.TestScenario.SPEC_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WebhookVerifierBuilderIT {

  @Test
  void requiresAtLeastOneSecret() {
    assertThatThrownBy(() -> WebhookVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secret");
  }

  @Test
  void rejectsSecretThatIsNotBase64WithoutRevealingIt() {
    assertThatThrownBy(
            () -> WebhookVerifier.builder().secret(SPEC_SECRET).secret("whsec_hunter2!!").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret #2")
        .hasMessageNotContaining("hunter2")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsEmptySecret() {
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("whsec_").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("").legacyHex("Continuum").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNegativeTolerance() {
    assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsLegacyPrefixThatIsNotAHeaderToken() {
    for (String bad : List.of("", "Contin uum", "X-Continuum:", "-Continuum")) {
      assertThatThrownBy(() -> WebhookVerifier.builder().legacyHex(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void toStringDoesNotRevealSecrets() {
    String text = WebhookVerifier.builder().secret(SPEC_SECRET).build().toString();
    assertThat(text)
        .isEqualTo("WebhookVerifier[profile=standard, secrets=1, public keys=0, tolerance=PT5M]");
  }

  @Test
  void defaultToleranceIsFiveMinutes() {
    assertThat(WebhookVerifier.DEFAULT_TOLERANCE).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void builtVerifierIsUnaffectedByLaterBuilderChanges() throws Exception {
    WebhookVerifier.Builder builder =
        WebhookVerifier.builder()
            .secret(SPEC_SECRET)
            .clock(Clock.fixed(Instant.ofEpochSecond(TestScenario.SPEC_TIMESTAMP), ZoneOffset.UTC));
    WebhookVerifier verifier = builder.build();
    builder.legacyHex("Continuum").tolerance(Duration.ZERO).secret("other");

    TestScenario scenario = TestScenario.valid();
    assertThat(verifier.verify(scenario.headers(), scenario.body())).isNotNull();
  }

  @Test
  void oneVerifierServesConcurrentRequests() throws Exception {
    WebhookVerifier verifier = TestScenario.valid().verifier();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean tampered = i % 2 == 0;
        results.add(
            pool.submit(
                () -> {
                  TestScenario s =
                      tampered ? TestScenario.valid().withTamperedBody() : TestScenario.valid();
                  try {
                    verifier.verify(s.headers(), s.body());
                    return !tampered;
                  } catch (WebhookVerificationException e) {
                    return tampered;
                  }
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

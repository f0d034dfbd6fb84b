package dev.herald.webhooks.benchmarks;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.spi.SigningSecret;
import dev.herald.webhooks.verifier.VerifiedWebhook;
import dev.herald.webhooks.verifier.WebhookVerificationException;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Signing and verifying a 1 KiB body with the standard and legacy-hex profiles, one thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBenchmark {
  private static final Instant NOW = Instant.parse("2026-11-23T21:15:03Z");

  private byte[] body;
  private WebhookSigner standardSigner;
  private WebhookSigner legacySigner;
  private WebhookVerifier verifier;
  private Map<String, String> signedHeaders;

  @Setup
  public void setUp() throws WebhookVerificationException {
    StringBuilder json =
        new StringBuilder("{\"id\":\"evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S\",\"data\":\"");
    while (json.length() < 1024 - 2) {
      json.append('x');
    }
    body = json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    String secret = WebhookSecrets.generate();
    standardSigner =
        new WebhookSigner(
            SignatureProfile.STANDARD, null, List.of(new SigningSecret(secret, null)));
    legacySigner =
        new WebhookSigner(
            SignatureProfile.LEGACY_HEX, "Continuum", List.of(new SigningSecret("shared", null)));
    verifier =
        WebhookVerifier.builder().secret(secret).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    signedHeaders = standardSigner.sign("evt_1", "memory.created", body, NOW);
    verifier.verify(signedHeaders, body);
  }

  @Benchmark
  public Map<String, String> signStandard1KiB() {
    return standardSigner.sign("evt_1", "memory.created", body, NOW);
  }

  @Benchmark
  public Map<String, String> signLegacyHex1KiB() {
    return legacySigner.sign("dlv_1", "memory.created", body, NOW);
  }

  @Benchmark
  public VerifiedWebhook verifyStandard1KiB() throws WebhookVerificationException {
    return verifier.verify(signedHeaders, body);
  }
}

package dev.herald.webhooks.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.verifier.ProcessRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code v1a} (Ed25519) signatures of the Standard Webhooks asymmetric scheme, made here with the
 * JDK directly, as a sender would, and checked by the verifier's API and its command line.
 */
class Ed25519VerificationIT {
  private static final String ID = "evt_01JD3X6Q9R6B1M5Y7T2K4N8P0S";
  private static final long TIMESTAMP = 1_764_191_703L;
  private static final String BODY = "{\"id\":\"" + ID + "\",\"type\":\"memory.created\"}";
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 10), ZoneOffset.UTC);

  @TempDir Path dir;

  private static KeyPair keyPair() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** {@code whpk_} + Base64 of the raw key: the last 32 bytes of its X.509 encoding. */
  private static String whpk(KeyPair pair) {
    byte[] x509 = pair.getPublic().getEncoded();
    return "whpk_"
        + Base64.getEncoder()
            .encodeToString(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
  }

  private static String v1a(KeyPair pair, String body) throws Exception {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update((ID + "." + TIMESTAMP + "." + body).getBytes(StandardCharsets.UTF_8));
    return "v1a," + Base64.getEncoder().encodeToString(signer.sign());
  }

  private static Map<String, String> headers(String signature) {
    return Map.of(
        "webhook-id", ID,
        "webhook-timestamp", Long.toString(TIMESTAMP),
        "webhook-signature", signature);
  }

  @Test
  void aV1aSignatureVerifiesWithThePublicKeyAndATamperedBodyDoesNot() throws Exception {
    KeyPair pair = keyPair();
    WebhookVerifier verifier = WebhookVerifier.builder().publicKey(whpk(pair)).clock(CLOCK).build();
    VerifiedWebhook webhook = verifier.verify(headers(v1a(pair, BODY)), BODY);
    assertThat(webhook.id()).isEqualTo(ID);

    assertThatThrownBy(() -> verifier.verify(headers(v1a(pair, BODY)), BODY.replace('m', 'n')))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessageContaining("none of the 1 signature(s)");
    assertThatThrownBy(
            () ->
                WebhookVerifier.builder()
                    .publicKey(whpk(keyPair()))
                    .clock(CLOCK)
                    .build()
                    .verify(headers(v1a(pair, BODY)), BODY))
        .as("another key")
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void duringARotationEitherKeyVerifiesARequestSignedWithBoth() throws Exception {
    KeyPair previous = keyPair();
    KeyPair next = keyPair();
    String both = v1a(next, BODY) + " " + v1a(previous, BODY);
    for (KeyPair pair : List.of(previous, next)) {
      assertThat(
              WebhookVerifier.builder()
                  .publicKey(whpk(pair))
                  .clock(CLOCK)
                  .build()
                  .verify(headers(both), BODY)
                  .id())
          .isEqualTo(ID);
    }
  }

  @Test
  void anHmacSecretIgnoresV1aAndAPublicKeyIgnoresV1() throws Exception {
    KeyPair pair = keyPair();
    assertThatThrownBy(
            () ->
                WebhookVerifier.builder()
                    .secret(TestScenario.SPEC_SECRET)
                    .clock(CLOCK)
                    .build()
                    .verify(headers(v1a(pair, BODY)), BODY))
        .hasMessageContaining("holds no signature this verifier can check");
  }

  @Test
  void badPublicKeysAreRefusedAtBuildNamingTheirPosition() {
    assertThatThrownBy(() -> WebhookVerifier.builder().publicKey("whsec_abc").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public key #1")
        .hasMessageContaining("whpk_");
    assertThatThrownBy(() -> WebhookVerifier.builder().publicKey("whpk_" + "AAAA").build())
        .hasMessageContaining("not 32");
    assertThatThrownBy(
            () -> WebhookVerifier.builder().publicKey("whpk_x").legacyHex("Continuum").build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theCommandLineTakesPublicKeys() throws Exception {
    KeyPair pair = keyPair();
    Path headers = dir.resolve("headers.txt");
    Files.writeString(
        headers,
        "webhook-id: "
            + ID
            + "\nwebhook-timestamp: "
            + TIMESTAMP
            + "\nwebhook-signature: "
            + v1a(pair, BODY)
            + "\n");
    Path body = dir.resolve("body.json");
    Files.writeString(body, BODY);
    Result ok =
        ProcessRunner.run(
            List.of(
                ProcessRunner.java(),
                "-jar",
                ProcessRunner.verifierJar().toString(),
                "--public-key",
                whpk(pair),
                "--now",
                Long.toString(TIMESTAMP + 10),
                headers.toString(),
                body.toString()),
            Map.of());
    assertThat(ok.exitCode).as(ok.toString()).isZero();
    assertThat(ok.stdout).startsWith("OK id=" + ID);

    Files.writeString(body, BODY + " ");
    Result tampered =
        ProcessRunner.run(
            List.of(
                ProcessRunner.java(),
                "-jar",
                ProcessRunner.verifierJar().toString(),
                "--public-key",
                whpk(pair),
                "--now",
                Long.toString(TIMESTAMP + 10),
                headers.toString(),
                body.toString()),
            Map.of());
    assertThat(tampered.exitCode).as(tampered.toString()).isEqualTo(1);
    assertThat(tampered.stderr).startsWith("FAILED NO_MATCHING_SIGNATURE");
  }
}

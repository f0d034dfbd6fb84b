package dev.herald.webhooks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.signing.Ed25519Keys;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.verifier.WebhookVerificationException;
import dev.herald.webhooks.verifier.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An {@code ed25519} endpoint's deliveries carry {@code v1a} signatures that verify with its {@code
 * whpk_} public key, in the verifier jar and in the JDK's own Ed25519 read from the raw key bytes;
 * a tampered body does not; during a key rotation each request carries both signatures and either
 * key verifies it.
 */
class Ed25519DeliveryIT extends WorkerWithReceiverTest {

  private static Map<String, String> headers(LoopbackReceiver.Request request) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.headers().forEach((k, v) -> headers.put(k, v.get(0)));
    return headers;
  }

  /** Verifies every v1a entry the JDK way, from the public key's raw bytes; returns how many. */
  private static int jdkVerified(LoopbackReceiver.Request request, String whpk) throws Exception {
    byte[] raw = Base64.getDecoder().decode(whpk.substring("whpk_".length()));
    byte[] der = new byte[44];
    System.arraycopy(
        new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00},
        0,
        der,
        0,
        12);
    System.arraycopy(raw, 0, der, 12, 32);
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    Map<String, String> h = headers(request);
    byte[] signed =
        (h.get("webhook-id") + "." + h.get("webhook-timestamp") + ".")
            .getBytes(StandardCharsets.UTF_8);
    int verified = 0;
    for (String entry : h.get("webhook-signature").split(" ")) {
      assertThat(entry).startsWith("v1a,");
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signed);
      verifier.update(request.body());
      if (verifier.verify(Base64.getDecoder().decode(entry.substring(4)))) {
        verified++;
      }
    }
    return verified;
  }

  /**
   * Node.js's own Ed25519 ({@code crypto.verify}), as docs/signatures.md shows it: an
   * implementation that shares nothing with the JDK's.
   */
  private static boolean nodeVerifies(
      LoopbackReceiver.Request request, byte[] body, String publicKey) throws Exception {
    java.nio.file.Path bodyFile = java.nio.file.Files.createTempFile("body", ".json");
    java.nio.file.Files.write(bodyFile, body);
    Map<String, String> h = headers(request);
    String script =
        String.join(
            "\n",
            "const crypto = require('node:crypto');",
            "const fs = require('node:fs');",
            "const [publicKey, id, timestamp, header, file] = process.argv.slice(1);",
            "const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');",
            "const key = crypto.createPublicKey({ key: Buffer.concat([Buffer.from("
                + "'302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });",
            "const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`),"
                + " fs.readFileSync(file)]);",
            "const ok = header.split(' ').some((entry) => entry.startsWith('v1a,')",
            "  && crypto.verify(null, signed, key, Buffer.from(entry.slice(4), 'base64')));",
            "process.exit(ok ? 0 : 1);");
    Process node =
        new ProcessBuilder(
                "node",
                "-e",
                script,
                publicKey,
                h.get("webhook-id"),
                h.get("webhook-timestamp"),
                h.get("webhook-signature"),
                bodyFile.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = node.waitFor();
    java.nio.file.Files.delete(bodyFile);
    assertThat(exit).as(output).isIn(0, 1);
    return exit == 0;
  }

  @Test
  void deliveriesVerifyWithThePublicKeyAndDuringARotationWithEither() throws Exception {
    String privateKey = Ed25519Keys.generate();
    String publicKey = Ed25519Keys.publicKeyOf(privateKey);
    Endpoint endpoint =
        fixture.store.create(
            NewEndpoint.http(
                WorkerFixture.TENANT, receiver.url("/signed"), List.of("memory.*"), privateKey));
    fixture.startWorker(
        WorkerFixture.options(RetrySchedule.defaults(), CircuitBreakerPolicy.defaults()));
    fixture.publishMemoryCreated("m-1");
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/signed").size() >= 1);
    LoopbackReceiver.Request first = receiver.requests("/signed").get(0);

    assertThat(headers(first).get("webhook-signature")).startsWith("v1a,").doesNotContain("v1,");
    WebhookVerifier withPublicKey = WebhookVerifier.builder().publicKey(publicKey).build();
    assertThat(withPublicKey.verify(headers(first), first.body()).id())
        .isEqualTo(headers(first).get("webhook-id"));
    assertThat(jdkVerified(first, publicKey)).isEqualTo(1);
    byte[] tampered = Arrays.copyOf(first.body(), first.body().length);
    tampered[tampered.length - 2] ^= 1;
    assertThatThrownBy(() -> withPublicKey.verify(headers(first), tampered))
        .isInstanceOf(WebhookVerificationException.class);
    assertThat(nodeVerifies(first, first.body(), publicKey)).as("Node.js crypto.verify").isTrue();
    assertThat(nodeVerifies(first, tampered, publicKey)).isFalse();

    String nextKey = Ed25519Keys.generate();
    String nextPublicKey = Ed25519Keys.publicKeyOf(nextKey);
    fixture.store.rotateSecret(
        WorkerFixture.TENANT, endpoint.id(), nextKey, Instant.now().plus(Duration.ofHours(1)));
    // Workers read an endpoint's keys again within a second of a change; until then the previous
    // key, still valid, signs alone.
    LoopbackReceiver.Request rotated =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  fixture.publishMemoryCreated("m-" + System.nanoTime());
                  List<LoopbackReceiver.Request> all = receiver.requests("/signed");
                  LoopbackReceiver.Request last = all.get(all.size() - 1);
                  return headers(last).get("webhook-signature").split(" ").length == 2
                      ? last
                      : null;
                },
                r -> r != null);
    assertThat(headers(rotated).get("webhook-signature").split(" ")).hasSize(2);
    assertThat(withPublicKey.verify(headers(rotated), rotated.body()).id()).isNotNull();
    assertThat(
            WebhookVerifier.builder()
                .publicKey(nextPublicKey)
                .build()
                .verify(headers(rotated), rotated.body())
                .id())
        .isNotNull();
    assertThat(jdkVerified(rotated, publicKey)).isEqualTo(1);
    assertThat(jdkVerified(rotated, nextPublicKey)).isEqualTo(1);
  }
}

package dev.herald.webhooks.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.webhooks.verifier.ProcessRunner.Result;
import dev.herald.webhooks.verifier.WebhookVerificationException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the CONTINUUM receiver recipe ({@code src/test/python/continuum_sign.py}) with {@code
 * python3}; fails rather than skips when Python is missing, since this is the compatibility promise
 * to legacy receivers.
 */
class PythonInteropIT {

  private static final String SECRET = "continuum-webhook-secret";
  private static final long TIMESTAMP = 1_700_000_000L;

  /** Already {@code json.dumps(payload, sort_keys=True)} output: ASCII with \\u escapes. */
  private static final String SORT_KEYS_BODY =
      "{\"data\": {\"content_preview\": \"caf\\u00e9 \\ud83d\\ude80\", \"memory_id\": \"m1\"},"
          + " \"id\": \"evt_1\", \"type\": \"memory.created\"}";

  @TempDir Path dir;

  @Test
  void verifierAcceptsSignatureFromPythonRecipe() throws Exception {
    String signature = python("sign", SECRET, Long.toString(TIMESTAMP), write(SORT_KEYS_BODY));
    assertThat(signature).matches("[0-9a-f]{64}");

    VerifiedWebhook webhook =
        verifier().verify(legacyHeaders(signature), TestScenario.utf8(SORT_KEYS_BODY));

    assertThat(webhook.eventType()).isEqualTo("memory.created");
    assertThat(webhook.timestamp()).isEqualTo(Instant.ofEpochSecond(TIMESTAMP));
  }

  @Test
  void pythonRecipeAcceptsHeraldSignature() throws Exception {
    String signature = heraldSignature(SORT_KEYS_BODY);
    Result result =
        run("verify", SECRET, Long.toString(TIMESTAMP), signature, write(SORT_KEYS_BODY));
    assertThat(result.exitCode).as(result.toString()).isZero();
  }

  @Test
  void pythonRecipeRejectsHeraldSignatureOverOtherBody() throws Exception {
    String signature = heraldSignature(SORT_KEYS_BODY.replace("m1", "m2"));
    Result result =
        run("verify", SECRET, Long.toString(TIMESTAMP), signature, write(SORT_KEYS_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(1);
  }

  /**
   * Why Herald must send {@code sort_keys} form with ASCII escapes: for a body with raw UTF-8 the
   * Python recipe signs its re-serialization, which differs from the bytes on the wire, and a
   * verifier of raw bytes rightly refuses it.
   */
  @Test
  void rawUtf8BodyIsNotWhatThePythonRecipeSigns() throws Exception {
    String rawUtf8 = "{\"data\": {\"content_preview\": \"café 🚀\"}, \"id\": \"evt_1\"}";
    String signature = python("sign", SECRET, Long.toString(TIMESTAMP), write(rawUtf8));

    assertThatThrownBy(() -> verifier().verify(legacyHeaders(signature), rawUtf8))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE));
  }

  private static String heraldSignature(String body) {
    // The recipe Herald's sender uses: hex HMAC keyed by the secret's UTF-8 bytes.
    return TestScenario.hex(
        TestScenario.hmac(
            TestScenario.utf8(SECRET),
            TestScenario.utf8(TIMESTAMP + "."),
            TestScenario.utf8(body)));
  }

  private static WebhookVerifier verifier() {
    return WebhookVerifier.builder()
        .secret(SECRET)
        .legacyHex("Continuum")
        .clock(Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 5), ZoneOffset.UTC))
        .build();
  }

  private static Map<String, Object> legacyHeaders(String signature) {
    return Map.of(
        "x-continuum-signature",
        signature,
        "x-continuum-timestamp",
        Long.toString(TIMESTAMP),
        "x-continuum-event",
        "memory.created",
        "x-continuum-delivery",
        "dlv_1");
  }

  private String write(String body) throws Exception {
    Path file = Files.createTempFile(dir, "body", ".json");
    Files.write(file, TestScenario.utf8(body));
    return file.toString();
  }

  private static String python(String... args) throws Exception {
    Result result = run(args);
    assertThat(result.exitCode).as(result.toString()).isZero();
    return result.stdout.trim();
  }

  private static Result run(String... args) throws Exception {
    Path script = ProcessRunner.moduleDir().resolve("src/test/python/continuum_sign.py");
    List<String> command = new ArrayList<>(List.of("python3", script.toString()));
    command.addAll(List.of(args));
    return ProcessRunner.run(command, Map.of());
  }
}

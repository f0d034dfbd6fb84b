package dev.herald.webhooks.verifier;

import static dev.herald.webhooks.verifier.TestScenario.SPEC_BODY;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_ID;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_SECRET;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_SIGNATURE;
import static dev.herald.webhooks.verifier.TestScenario.SPEC_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.verifier.ProcessRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code java -jar webhooks-verifier.jar} on saved requests. */
class VerifyCommandIT {

  private static final String NOW = Long.toString(SPEC_TIMESTAMP + 60);

  @TempDir Path dir;

  @Test
  void verifiedRequestExitsZeroAndPrintsIdAndTimestamp() throws Exception {
    Result result =
        verify(Map.of(), "--secret", SPEC_SECRET, "--now", NOW, specHeaders(), body(SPEC_BODY));

    assertThat(result.exitCode).as(result.toString()).isZero();
    assertThat(result.stdout.trim())
        .isEqualTo("OK id=" + SPEC_ID + " timestamp=2021-02-25T15:02:10Z");
  }

  @Test
  void ignoresRequestLineBlankLinesAndCrlf() throws Exception {
    String head =
        "POST /hooks/herald HTTP/1.1\r\n"
            + "Host: receiver.example:8443\r\n"
            + "\r\n"
            + "webhook-id: "
            + SPEC_ID
            + "\r\n"
            + "Webhook-Timestamp: "
            + SPEC_TIMESTAMP
            + "\r\n"
            + "WEBHOOK-SIGNATURE:"
            + SPEC_SIGNATURE
            + "\r\n\r\n";
    Result result =
        verify(Map.of(), "--secret=" + SPEC_SECRET, "--now=" + NOW, file(head), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isZero();
  }

  @Test
  void tamperedBodyExitsOneWithReasonOnStderr() throws Exception {
    Result result =
        verify(
            Map.of(),
            "--secret",
            SPEC_SECRET,
            "--now",
            NOW,
            specHeaders(),
            body(SPEC_BODY.replace('4', '5')));

    assertThat(result.exitCode).as(result.toString()).isEqualTo(1);
    assertThat(result.stdout).isEmpty();
    assertThat(result.stderr)
        .startsWith("FAILED NO_MATCHING_SIGNATURE: ")
        .contains("webhook-signature");
  }

  @Test
  void oldRequestFailsAgainstCurrentTimeWithoutNow() throws Exception {
    Result result = verify(Map.of(), "--secret", SPEC_SECRET, specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(1);
    assertThat(result.stderr).startsWith("FAILED TIMESTAMP_TOO_OLD: ");
  }

  @Test
  void noToleranceSkipsTimestampWindow() throws Exception {
    Result result =
        verify(Map.of(), "--secret", SPEC_SECRET, "--no-tolerance", specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isZero();
  }

  @Test
  void toleranceSecondsApplies() throws Exception {
    Result result =
        verify(
            Map.of(),
            "--secret",
            SPEC_SECRET,
            "--now",
            NOW,
            "--tolerance-seconds",
            "59",
            specHeaders(),
            body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(1);
    assertThat(result.stderr).startsWith("FAILED TIMESTAMP_TOO_OLD: ");
  }

  @Test
  void secretComesFromEnvironmentWhenNoSecretOption() throws Exception {
    Result result =
        verify(Map.of("WEBHOOK_SECRET", SPEC_SECRET), "--now", NOW, specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isZero();
  }

  @Test
  void rotationSecretsAreAllTried() throws Exception {
    Result result =
        verify(
            Map.of(),
            "--secret",
            TestScenario.OTHER_STANDARD_SECRET,
            "--secret",
            SPEC_SECRET,
            "--now",
            NOW,
            specHeaders(),
            body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isZero();
  }

  @Test
  void legacyHexRequestVerifies() throws Exception {
    TestScenario scenario = TestScenario.validLegacy();
    StringBuilder head = new StringBuilder();
    for (Map.Entry<String, Object> header : scenario.headers().entrySet()) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
    }
    Result result =
        verify(
            Map.of(),
            "--secret",
            TestScenario.LEGACY_SECRET,
            "--profile",
            "legacy-hex",
            "--prefix",
            "Continuum",
            "--now",
            NOW,
            file(head.toString()),
            body(TestScenario.LEGACY_BODY));
    assertThat(result.exitCode).as(result.toString()).isZero();
    assertThat(result.stdout.trim())
        .isEqualTo("OK id=dlv_42 timestamp=2021-02-25T15:02:10Z event=memory.created");
  }

  @Test
  void missingFileArgumentsExitTwoWithUsage() throws Exception {
    Result result = verify(Map.of(), "--secret", SPEC_SECRET);
    assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr).contains("usage: java -jar webhooks-verifier.jar");
  }

  @Test
  void unknownOptionExitsTwo() throws Exception {
    Result result =
        verify(Map.of(), "--secret", SPEC_SECRET, "--bogus", specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr).contains("unknown option --bogus");
  }

  @Test
  void missingSecretExitsTwo() throws Exception {
    Result result = verify(Map.of(), specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr).contains("WEBHOOK_SECRET");
  }

  @Test
  void legacyHexWithoutPrefixExitsTwo() throws Exception {
    Result result =
        verify(
            Map.of(), "--secret", "s", "--profile", "legacy-hex", specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr).contains("--prefix");
  }

  @Test
  void invalidSecretExitsTwoWithoutEchoingIt() throws Exception {
    Result result =
        verify(Map.of(), "--secret", "whsec_not*base64", specHeaders(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr).contains("secret #1").doesNotContain("not*base64");
  }

  @Test
  void unreadableFileExitsTwo() throws Exception {
    Result result =
        verify(
            Map.of(), "--secret", SPEC_SECRET, dir.resolve("absent").toString(), body(SPEC_BODY));
    assertThat(result.exitCode).as(result.toString()).isEqualTo(2);
  }

  @Test
  void helpPrintsUsageAndExitsZero() throws Exception {
    Result result = verify(Map.of(), "--help");
    assertThat(result.exitCode).isZero();
    assertThat(result.stdout).contains("--secret");
  }

  private Result verify(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(ProcessRunner.java(), "-jar", ProcessRunner.verifierJar().toString()));
    command.addAll(List.of(args));
    return ProcessRunner.run(command, env);
  }

  private String specHeaders() throws Exception {
    return file(
        "webhook-id: "
            + SPEC_ID
            + "\nwebhook-timestamp: "
            + SPEC_TIMESTAMP
            + "\nwebhook-signature: "
            + SPEC_SIGNATURE
            + "\n");
  }

  private String body(String body) throws Exception {
    return file(body);
  }

  private String file(String content) throws Exception {
    Path file = Files.createTempFile(dir, "saved", ".txt");
    Files.write(file, TestScenario.utf8(content));
    return file.toString();
  }
}

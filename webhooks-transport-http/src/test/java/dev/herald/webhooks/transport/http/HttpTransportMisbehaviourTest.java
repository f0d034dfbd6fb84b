package dev.herald.webhooks.transport.http;

import static dev.herald.webhooks.transport.http.Receivers.config;
import static dev.herald.webhooks.transport.http.Receivers.loopbackAllowed;
import static dev.herald.webhooks.transport.http.Receivers.message;
import static dev.herald.webhooks.transport.http.Receivers.readRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.webhooks.spi.SendOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Receivers that refuse, stall, hang up or trickle; each must end as a retryable outcome. */
class HttpTransportMisbehaviourTest {

  private static final long TRICKLE_MILLIS = 200;

  private HttpTransport transport;

  @AfterEach
  void stop() {
    if (transport != null) {
      transport.close();
    }
  }

  private HttpTransport transport(String requestTimeout) {
    transport =
        new HttpTransport(
            HttpTransportSettings.from(
                config(loopbackAllowed(HttpTransportSettings.WEBHOOK_TIMEOUT, requestTimeout))));
    return transport;
  }

  /** Sends on another thread, so a transport that ignores its deadline fails the test. */
  private static SendOutcome sendWithin(HttpTransport transport, String url, int seconds)
      throws Exception {
    return CompletableFuture.supplyAsync(() -> transport.send(message(url)))
        .get(seconds, TimeUnit.SECONDS);
  }

  @Test
  void retriesWhenTheConnectionIsRefused() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, Receivers.LOOPBACK)) {
      closedPort = probe.getLocalPort();
    }

    SendOutcome outcome = transport("5").send(message("http://127.0.0.1:" + closedPort + "/"));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            SendOutcome.Retry.class,
            retry -> {
              assertThat(retry.error().type()).isEqualTo("connection_refused");
              assertThat(retry.response()).isNull();
            });
  }

  @Test
  void retriesWhenTheReceiverNeverAnswers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Receivers.Raw raw =
        new Receivers.Raw(
            socket -> {
              readRequest(socket.getInputStream());
              release.await();
            })) {
      SendOutcome outcome = sendWithin(transport("1"), raw.url(), 20);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> assertThat(retry.error().type()).isEqualTo("timeout"));
    } finally {
      release.countDown();
    }
  }

  @Test
  void hangingUpAfterReadingTheRequestIsAmbiguous() throws Exception {
    try (Receivers.Raw raw =
        new Receivers.Raw(
            socket -> {
              readRequest(socket.getInputStream());
              socket.close();
            })) {
      SendOutcome outcome = sendWithin(transport("10"), raw.url(), 20);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> assertThat(retry.error().type()).isEqualTo("ambiguous"));
    }
  }

  @Test
  void tricklingHeadersCannotOutlastTheRequestDeadline() throws Exception {
    // A byte every 200 ms never trips the 1 s socket timeout; only the whole-request deadline
    // ends this exchange.
    try (Receivers.Raw raw =
        new Receivers.Raw(
            socket -> {
              readRequest(socket.getInputStream());
              OutputStream out = socket.getOutputStream();
              out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
              trickle(out);
            })) {
      SendOutcome outcome = sendWithin(transport("1"), raw.url(), 20);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> {
                assertThat(retry.error().type()).isEqualTo("timeout");
                assertThat(retry.error().message()).contains("no complete response within 1000 ms");
              });
    }
  }

  @Test
  void tricklingBodyAfterTheStatusKeepsTheStatus() throws Exception {
    try (Receivers.Raw raw =
        new Receivers.Raw(
            socket -> {
              readRequest(socket.getInputStream());
              OutputStream out = socket.getOutputStream();
              out.write(
                  "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100000\r\n\r\nbusy"
                      .getBytes(StandardCharsets.US_ASCII));
              trickle(out);
            })) {
      SendOutcome outcome = sendWithin(transport("1"), raw.url(), 20);

      assertThat(outcome)
          .isInstanceOfSatisfying(
              SendOutcome.Retry.class,
              retry -> {
                assertThat(retry.error().type()).isEqualTo("http_503");
                assertThat(retry.response().bodyExcerpt()).startsWith("busy");
              });
    }
  }

  @Test
  void endlessBodyIsCutAfterTheExcerptWithoutReadingTheRest() throws Exception {
    // With a 60 s deadline, only dropping the connection (instead of draining it) returns in time.
    try (Receivers.Raw raw =
        new Receivers.Raw(
            socket -> {
              readRequest(socket.getInputStream());
              OutputStream out = socket.getOutputStream();
              out.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
              byte[] chunk = new byte[8192];
              Arrays.fill(chunk, (byte) 'x');
              byte[] size = "2000\r\n".getBytes(StandardCharsets.US_ASCII);
              byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
              while (true) {
                out.write(size);
                out.write(chunk);
                out.write(crlf);
              }
            })) {
      SendOutcome outcome = sendWithin(transport("60"), raw.url(), 20);

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(outcome.response().bodyExcerpt()).hasSize(4096).matches("x+");
    }
  }

  @Test
  void reusesTheConnectionAfterASmallBodyButDropsItAfterABigOne() throws Exception {
    try (Receivers.Raw raw = new Receivers.Raw(HttpTransportMisbehaviourTest::keepAlive)) {
      HttpTransport keeping = transport("10");
      String small = raw.url() + "?size=2";
      String big = raw.url() + "?size=1048576";

      keeping.send(message(small));
      keeping.send(message(small));
      assertThat(raw.accepted()).isEqualTo(1);

      SendOutcome outcome = keeping.send(message(big));
      keeping.send(message(small));

      assertThat(outcome).isInstanceOf(SendOutcome.Succeeded.class);
      assertThat(outcome.response().bodyExcerpt()).hasSize(4096);
      // The fence is the third connection: one for the small bodies, one after the big body.
      assertThat(raw.connectionsBeforeFence()).isEqualTo(2);
    }
  }

  /** Answers every request on the connection with a body of the {@code size} it asks for. */
  private static void keepAlive(Socket socket) throws IOException {
    while (true) {
      String request = new String(readRequest(socket.getInputStream()), StandardCharsets.UTF_8);
      String line = request.substring(0, request.indexOf("\r\n"));
      int size = Integer.parseInt(line.replaceAll(".*size=(\\d+).*", "$1"));
      byte[] body = new byte[size];
      Arrays.fill(body, (byte) 'k');
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    }
  }

  private static void trickle(OutputStream out) throws IOException, InterruptedException {
    while (true) {
      out.write('a');
      out.flush();
      // The receiver's pace, not synchronisation: this is the behaviour under test.
      Thread.sleep(TRICKLE_MILLIS);
    }
  }
}

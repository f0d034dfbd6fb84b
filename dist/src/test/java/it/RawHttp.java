package it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: paths, headers and bodies that {@code
 * java.net.http} refuses to send (invalid escapes, control characters, a Content-Length that lies)
 * reach the server as an attacker would send them. One request per connection.
 */
final class RawHttp {
  /** An answer; {@code status} is -1 when the server closed without one. */
  record Answer(int status, Map<String, String> headers, String body, long millis) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final String host;
  private final int port;

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and
   * {@code body}, and reads the answer until the server closes, at most {@code timeoutMillis}.
   *
   * @throws SocketTimeoutException when no complete answer came in time
   */
  Answer send(String head, byte[] body, int timeoutMillis) throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(socket.getInputStream(), start);
    }
  }

  /** A request with {@code Connection: close} and, when there is a body, its true length. */
  Answer request(
      String method, String target, Map<String, String> headers, byte[] body, int timeoutMillis)
      throws IOException {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append(':').append(port).append("\r\n");
    head.append("Connection: close");
    headers.forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
    if (body != null) {
      head.append("\r\nContent-Length: ").append(body.length);
    }
    return send(head.toString(), body, timeoutMillis);
  }

  private static Answer read(InputStream in, long start) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      all.write(buffer, 0, n);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String text = all.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      return new Answer(-1, Map.of(), text, millis);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
    return new Answer(status, headers, new String(raw, StandardCharsets.UTF_8), millis);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return body.toString();
  }
}

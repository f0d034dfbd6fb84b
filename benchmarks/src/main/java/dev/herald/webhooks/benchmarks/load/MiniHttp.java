package dev.herald.webhooks.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that POSTs JSON and reads the response. The load generator
 * shares two cores with the server, PostgreSQL and the receiver, so it must cost little: this does
 * a fraction of the work of {@code java.net.http.HttpClient}. Not thread-safe.
 */
final class MiniHttp implements Closeable {
  private final String host;
  private final int port;
  private Socket socket;
  private BufferedOutputStream out;
  private InputStream in;

  /** The status and body of a response. */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  MiniHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  Response post(String path, String bearer, byte[] json) throws IOException {
    return request("POST", path, bearer, json);
  }

  Response get(String path, String bearer) throws IOException {
    return request("GET", path, bearer, null);
  }

  Response request(String method, String path, String bearer, byte[] json) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        connect();
        StringBuilder head =
            new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\nAccept: application/json, text/plain\r\n");
        if (bearer != null) {
          head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (json != null) {
          head.append("Content-Type: application/json\r\nContent-Length: ")
              .append(json.length)
              .append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (json != null) {
          out.write(json);
        }
        out.flush();
        return read();
      } catch (IOException e) {
        // A keep-alive connection the server closed: reconnect once.
        close();
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }

  private void connect() throws IOException {
    if (socket != null) {
      return;
    }
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(60_000);
    out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  private Response read() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        body.write(in.readNBytes(n));
        line();
      }
    } else if (length > 0) {
      body.write(in.readNBytes((int) length));
    }
    if (closeAfter) {
      close();
    }
    return new Response(code, body.toByteArray());
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed");
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      sb.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }
}

package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.spi.SigningSecret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Text forms of an endpoint's lists and maps, and the binary form of its secrets before encryption.
 * Event-type filters are one per line; headers {@code Name: value} per line (HTTP forbids line
 * breaks in both); retry delays are milliseconds separated by commas.
 */
final class EndpointCodec {
  private EndpointCodec() {}

  static String eventTypes(List<String> types) {
    for (String type : types) {
      requireSingleLine(type, "event type filter");
    }
    return String.join("\n", types);
  }

  static List<String> eventTypes(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  static String headers(Map<String, String> headers) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(headers).entrySet()) {
      requireSingleLine(e.getKey(), "header name");
      requireSingleLine(e.getValue(), "header value");
      if (e.getKey().indexOf(':') >= 0) {
        throw new IllegalArgumentException("header name must not contain ':'");
      }
      out.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    return out.toString();
  }

  static Map<String, String> headers(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        int colon = line.indexOf(':');
        out.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return out;
  }

  static String delays(List<Duration> delays) {
    if (delays == null) {
      return null;
    }
    List<String> millis = new ArrayList<>();
    delays.forEach(d -> millis.add(Long.toString(d.toMillis())));
    return String.join(",", millis);
  }

  static List<Duration> delays(String text) {
    if (text == null) {
      return null;
    }
    List<Duration> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isEmpty()) {
        out.add(Duration.ofMillis(Long.parseLong(part)));
      }
    }
    return out;
  }

  static byte[] secrets(List<SigningSecret> secrets) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(secrets.size());
      for (SigningSecret s : secrets) {
        out.writeUTF(s.value());
        out.writeBoolean(s.expiresAt() != null);
        if (s.expiresAt() != null) {
          out.writeLong(s.expiresAt().getEpochSecond());
          out.writeInt(s.expiresAt().getNano());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static List<SigningSecret> secrets(byte[] plain) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
      int n = in.readInt();
      List<SigningSecret> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String value = in.readUTF();
        Instant expiresAt =
            in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        out.add(new SigningSecret(value, expiresAt));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireSingleLine(String text, String what) {
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " must not contain line breaks");
    }
  }
}

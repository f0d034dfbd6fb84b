package dev.herald.webhooks.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Command line that verifies a saved request: {@code java -jar webhooks-verifier.jar --secret
 * whsec_... headers.txt body.json}. Exits 0 and prints {@code OK ...} when the request verifies, 1
 * with {@code FAILED <REASON>: message} on standard error when it does not, 2 on bad arguments.
 */
public final class VerifyCommand {

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar webhooks-verifier.jar [options] <headers-file> <body-file>",
          "",
          "  --secret <secret>          signing secret; repeat for rotation. Defaults to the",
          "                             WEBHOOK_SECRET environment variable, which keeps the",
          "                             secret out of the process list",
          "  --public-key <whpk_...>    Ed25519 public key of an ed25519 endpoint (v1a);",
          "                             repeat for rotation. Needs Java 15 or later",
          "  --profile <name>           standard (default) or legacy-hex",
          "  --prefix <prefix>          header prefix for legacy-hex, e.g. Continuum",
          "  --tolerance-seconds <n>    allowed clock difference, both directions (default 300)",
          "  --no-tolerance             do not check the timestamp window",
          "  --now <unix-seconds>       verify as of this time instead of the current time",
          "",
          "The headers file holds 'Name: value' lines; a request line such as",
          "'POST /hooks HTTP/1.1' and blank lines are ignored. The body file is verified",
          "byte for byte: an editor that adds a final newline breaks the signature.",
          "",
          "Exit status: 0 verified, 1 not verified, 2 bad arguments.");

  private static final Pattern REQUEST_LINE = Pattern.compile("\\S+ \\S+ HTTP/\\S+");

  private VerifyCommand() {}

  /**
   * Runs the command and exits with its status.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (UsageException e) {
      if (e.getMessage() == null) {
        out.println(USAGE);
        return 0;
      }
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }

    WebhookVerifier verifier;
    Map<String, List<String>> headers;
    byte[] body;
    try {
      verifier = options.verifier();
      headers = readHeaders(options.headersFile);
      body = Files.readAllBytes(options.bodyFile);
    } catch (IllegalArgumentException
        | IllegalStateException
        | DateTimeException
        | UsageException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: cannot read " + e.getMessage());
      return 2;
    }

    try {
      VerifiedWebhook webhook = verifier.verify(headers, body);
      StringBuilder line = new StringBuilder("OK id=");
      line.append(webhook.id() == null ? "-" : webhook.id());
      line.append(" timestamp=").append(webhook.timestamp());
      if (webhook.eventType() != null) {
        line.append(" event=").append(webhook.eventType());
      }
      out.println(line);
      return 0;
    } catch (WebhookVerificationException e) {
      err.println("FAILED " + e.reason() + ": " + e.getMessage());
      return 1;
    }
  }

  /** Reads {@code Name: value} lines; repeated names keep every value in order. */
  static Map<String, List<String>> readHeaders(Path file) throws IOException, UsageException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    boolean first = true;
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      if (first && REQUEST_LINE.matcher(line.strip()).matches()) {
        first = false;
        continue;
      }
      first = false;
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new UsageException(
            file + " line " + number + ": expected 'Name: value' but found no header name");
      }
      headers
          .computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
    return headers;
  }

  /** Parsed command-line options. */
  private static final class Options {
    final List<String> secrets = new ArrayList<>();
    final List<String> publicKeys = new ArrayList<>();
    String profile = "standard";
    String prefix;
    Long toleranceSeconds;
    boolean noTolerance;
    Long now;
    Path headersFile;
    Path bodyFile;

    static Options parse(String[] args, Map<String, String> env) throws UsageException {
      Options o = new Options();
      List<String> positional = new ArrayList<>();
      boolean optionsEnded = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (optionsEnded || !arg.startsWith("--")) {
          positional.add(arg);
          continue;
        }
        String name = arg;
        String value = null;
        int equals = arg.indexOf('=');
        if (equals > 0) {
          name = arg.substring(0, equals);
          value = arg.substring(equals + 1);
        }
        switch (name) {
          case "--":
            optionsEnded = true;
            break;
          case "--help":
            throw new UsageException(null);
          case "--no-tolerance":
            o.noTolerance = true;
            break;
          case "--secret":
          case "--public-key":
          case "--profile":
          case "--prefix":
          case "--tolerance-seconds":
          case "--now":
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new UsageException(name + " needs a value");
              }
              value = args[++i];
            }
            o.set(name, value);
            break;
          default:
            throw new UsageException("unknown option " + name);
        }
      }
      if (positional.size() != 2) {
        throw new UsageException(
            "expected <headers-file> <body-file>, got " + positional.size() + " file argument(s)");
      }
      o.headersFile = Paths.get(positional.get(0));
      o.bodyFile = Paths.get(positional.get(1));
      if (o.secrets.isEmpty() && o.publicKeys.isEmpty()) {
        String fromEnv = env.get("WEBHOOK_SECRET");
        if (fromEnv == null || fromEnv.isEmpty()) {
          throw new UsageException(
              "no --secret or --public-key given and WEBHOOK_SECRET is not set");
        }
        o.secrets.add(fromEnv);
      }
      if (!o.publicKeys.isEmpty() && !"standard".equals(o.profile)) {
        throw new UsageException("--public-key only applies to --profile standard");
      }
      if (o.noTolerance && o.toleranceSeconds != null) {
        throw new UsageException("--no-tolerance and --tolerance-seconds exclude each other");
      }
      if ("legacy-hex".equals(o.profile) && o.prefix == null) {
        throw new UsageException("--profile legacy-hex needs --prefix, e.g. --prefix Continuum");
      }
      if ("standard".equals(o.profile) && o.prefix != null) {
        throw new UsageException("--prefix only applies to --profile legacy-hex");
      }
      return o;
    }

    private void set(String name, String value) throws UsageException {
      switch (name) {
        case "--secret":
          secrets.add(value);
          break;
        case "--public-key":
          publicKeys.add(value);
          break;
        case "--profile":
          if (!"standard".equals(value) && !"legacy-hex".equals(value)) {
            throw new UsageException("--profile must be standard or legacy-hex; got " + value);
          }
          profile = value;
          break;
        case "--prefix":
          prefix = value;
          break;
        case "--tolerance-seconds":
          toleranceSeconds = nonNegative(name, value);
          break;
        case "--now":
          now = nonNegative(name, value);
          break;
        default:
          throw new AssertionError(name);
      }
    }

    private static long nonNegative(String name, String value) throws UsageException {
      try {
        long parsed = Long.parseLong(value);
        if (parsed >= 0) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException(name + " must be a whole number of seconds >= 0; got " + value);
    }

    WebhookVerifier verifier() {
      WebhookVerifier.Builder builder = WebhookVerifier.builder().secrets(secrets);
      publicKeys.forEach(builder::publicKey);
      if ("legacy-hex".equals(profile)) {
        builder.legacyHex(prefix);
      }
      if (noTolerance) {
        builder.tolerance(Duration.ofSeconds(Long.MAX_VALUE));
      } else if (toleranceSeconds != null) {
        builder.tolerance(Duration.ofSeconds(toleranceSeconds));
      }
      if (now != null) {
        builder.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
      }
      return builder.build();
    }
  }

  /** Bad command-line arguments; a {@code null} message asks for the usage text only. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}

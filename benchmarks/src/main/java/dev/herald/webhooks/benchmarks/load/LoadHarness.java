package dev.herald.webhooks.benchmarks.load;

/**
 * The load harness's entry point; {@code benchmarks/run} calls each part in turn.
 *
 * <pre>
 * server   --base=http://127.0.0.1:9301 --admin-key=K --database-url=postgresql://... [--wrk=PATH]
 * inproc   --database-url=postgresql://...
 * queue    --database-url=postgresql://...
 * claim    --database-url=postgresql://...
 * report   --results=DIR --doc=docs/benchmarks.md
 * </pre>
 *
 * Every part takes {@code --runs=N} (default 3) and {@code --out=DIR} for its JSON results.
 */
public final class LoadHarness {
  private LoadHarness() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println(
          "usage: LoadHarness server|inproc|queue|claim|ordered|batching|report --name=value ...");
      System.exit(2);
    }
    Args args = new Args(argv, 1);
    // Hikari, Flyway and db-scheduler log every start at INFO; keep the progress readable.
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    switch (argv[0]) {
      case "server" -> new ServerScenarios(args).run(args.get("wrk", ""));
      case "inproc" -> new StoreScenarios(args).inProcess();
      case "queue" -> new StoreScenarios(args).queue();
      case "claim" -> new StoreScenarios(args).claimLatency();
      case "ordered" -> new StoreScenarios(args).ordered();
      case "batching" -> new StoreScenarios(args).batching();
      case "report" -> new Report(args).write();
      default -> {
        System.err.println("unknown part " + argv[0]);
        System.exit(2);
      }
    }
    // db-scheduler and the pools leave non-daemon threads behind.
    System.exit(0);
  }
}

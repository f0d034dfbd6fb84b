package dev.herald.webhooks.worker;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.circuit.CircuitBreakerPolicy;
import dev.herald.webhooks.core.json.CloudEventsJson;
import dev.herald.webhooks.core.json.EnvelopeJson;
import dev.herald.webhooks.core.retry.Jitter;
import dev.herald.webhooks.core.retry.RetryPolicy;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.routing.PhaseSelection;
import dev.herald.webhooks.core.routing.Router;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.ClaimRules;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointDirectory;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.OutboundMessage;
import dev.herald.webhooks.spi.OutboxStore;
import dev.herald.webhooks.spi.Recorded;
import dev.herald.webhooks.spi.SendOutcome;
import dev.herald.webhooks.spi.StoreUnavailableException;
import dev.herald.webhooks.spi.Transport;
import dev.herald.webhooks.worker.logging.LogContext;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Delivers due deliveries: one thread claims batches under a lease, a pool sends them (at most
 * {@link WorkerOptions#concurrency()} at once), and a recorder writes outcomes back in batches. The
 * claim admits each endpoint's deliveries as its limits and circuit allow across every process (see
 * {@link OutboxStore#claim(String, int, Duration, ClaimRules)}), so what this worker holds it may
 * send. The worker holds at most one claim batch more than it sends at once, so that claims stay
 * large. Leases of deliveries being worked on are renewed; a worker that dies leaves leases that
 * expire, and another worker takes the deliveries over.
 *
 * <p>Per delivery: it is signed with the endpoint's profile and active secrets, sent, and the
 * outcome becomes the next state by the retry policy (deliveries to Redis by {@link RedisRetry}).
 * The worker decides nothing about endpoint health: the store applies the outcomes to the circuit,
 * failing-since and auto-disable ({@link HealthRules}) in the transaction that records them, and
 * the worker logs what changed. What a transport refuses ({@link SendOutcome.Refused}) waits
 * without an attempt, and a paused transport's deliveries are not claimed.
 *
 * <p>Start with {@link #start()}, stop with {@link #stop(Duration)}: it stops claiming, lets sends
 * in progress finish within the grace period, gives the rest back, and records what is left.
 */
public final class DeliveryWorker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DeliveryWorker.class.getName());

  /** The message id prefix of a batched request (DESIGN 16). */
  static final String BATCH_ID_PREFIX = "bat_";

  /** The event type a batched request is signed and sent as: its members have their own. */
  static final String BATCH_TYPE = "batch";

  private final OutboxStore outbox;
  private final Transports transports;
  private final Supplier<PhaseSelection> phases;
  private final WorkerOptions options;
  private final Clock clock;
  private final ExecutorService sends;
  private final boolean ownsSends;
  private final DeliveryObserver observer;

  private final RetryPolicy globalRetry;
  private final RedisRetry redisRetry;
  private final ClaimRules claimRules;
  private final EndpointCache endpointCache;
  private final ResultRecorder recorder;
  private final int capacityLimit;
  private final Semaphore capacity;
  private final Queue<Work> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger runners = new AtomicInteger();
  private final Map<String, ClaimedDelivery> inFlight = new ConcurrentHashMap<>();
  // This worker's slots per endpoint; only the claim thread adds and removes entries.
  private final Map<String, SlotGate> slots = new ConcurrentHashMap<>();
  private final Signers signers = new Signers();
  private final Object wakeLock = new Object();
  private final Stats stats = new Stats();

  private ScheduledExecutorService timers;
  private AutoCloseable wakeSubscription;
  private Thread claimer;
  private volatile boolean running;
  private boolean wakeRequested;

  /** Counters since start. */
  public record Counts(long claimed, long succeeded, long retried, long dead, long postponed) {}

  /**
   * @param phases the migration phases in force, for the {@code webhook-primary} fallback
   * @param sends runs the sends; null to let the worker create and own a pool of {@code
   *     concurrency} threads (in the server, pass the managed executor)
   */
  public DeliveryWorker(
      OutboxStore outbox,
      EndpointDirectory endpoints,
      Transports transports,
      Supplier<PhaseSelection> phases,
      WorkerOptions options,
      Clock clock,
      ExecutorService sends) {
    this(outbox, endpoints, transports, phases, options, clock, sends, DeliveryObserver.NONE);
  }

  /**
   * @param observer told about attempts and opened circuits (metrics in the server)
   */
  public DeliveryWorker(
      OutboxStore outbox,
      EndpointDirectory endpoints,
      Transports transports,
      Supplier<PhaseSelection> phases,
      WorkerOptions options,
      Clock clock,
      ExecutorService sends,
      DeliveryObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.phases = phases;
    this.outbox = outbox;
    this.transports = transports;
    this.options = options;
    this.clock = clock;
    this.ownsSends = sends == null;
    this.sends =
        sends != null
            ? sends
            : Executors.newFixedThreadPool(options.concurrency(), daemonThreads("herald-send"));
    this.globalRetry = retryPolicy(options.retrySchedule());
    this.redisRetry = new RedisRetry(options.redisMaxAge());
    CircuitBreakerPolicy circuit = options.circuitBreaker();
    this.claimRules =
        new ClaimRules(
            circuit.openDuration(),
            tenant -> Router.fallsBackToRedis(phases.get().phaseFor(tenant)),
            Set.of());
    this.endpointCache = new EndpointCache(endpoints, clock);
    this.recorder =
        new ResultRecorder(
            outbox,
            options.workerId(),
            new HealthRules(
                circuit.failureThreshold(), circuit.openDuration(), options.autoDisableAfter()),
            this::healthChanged,
            this::wake);
    // Beyond the deliveries being sent, hold one claim batch ready (under lease), so that claims
    // stay large and the claim thread never starves the senders.
    this.capacityLimit = options.concurrency() + options.claimBatchSize();
    this.capacity = new Semaphore(capacityLimit);
  }

  public String workerId() {
    return options.workerId();
  }

  public Counts counts() {
    return stats.snapshot();
  }

  /** Starts claiming. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    recorder.start();
    timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("herald-lease"));
    long renewEvery = Math.max(200, options.lease().toMillis() / 3);
    timers.scheduleAtFixedRate(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    wakeSubscription = outbox.onNewWork(this::wake);
    claimer = new Thread(this::claimLoop, "herald-claim");
    claimer.setDaemon(true);
    claimer.start();
    LOG.log(
        Level.INFO,
        "worker {0} started: {1} concurrent sends, batches of {2}, lease {3}",
        options.workerId(),
        options.concurrency(),
        options.claimBatchSize(),
        options.lease());
  }

  /**
   * Stops claiming, waits up to {@code grace} for sends in progress, gives back the deliveries
   * still held, and records every outcome already known.
   */
  public synchronized void stop(Duration grace) {
    if (!running) {
      return;
    }
    running = false;
    wake();
    try {
      claimer.join(TimeUnit.SECONDS.toMillis(30));
      closeQuietly(wakeSubscription);
      Instant deadline = clock.instant().plus(grace);
      synchronized (inFlight) {
        while (!inFlight.isEmpty() && clock.instant().isBefore(deadline)) {
          inFlight.wait(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
        }
      }
      Set<String> unfinished = Set.copyOf(inFlight.keySet());
      if (!unfinished.isEmpty()) {
        outbox.release(options.workerId(), unfinished);
        LOG.log(Level.INFO, "gave back {0} unfinished deliveries", unfinished.size());
      }
      if (!slots.isEmpty()) {
        outbox.releaseSlots(options.workerId(), List.copyOf(slots.keySet()));
        slots.clear();
      }
      if (ownsSends) {
        sends.shutdownNow();
        sends.awaitTermination(5, TimeUnit.SECONDS);
      }
      recorder.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timers.shutdownNow();
    }
    Counts c = counts();
    LOG.log(
        Level.INFO,
        "worker {0} stopped: claimed {1}, succeeded {2}, retried {3}, dead {4}, postponed {5}",
        options.workerId(),
        c.claimed(),
        c.succeeded(),
        c.retried(),
        c.dead(),
        c.postponed());
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** Whether the worker was started, not stopped, and its claim thread still runs (liveness). */
  public synchronized boolean isAlive() {
    return running && claimer != null && claimer.isAlive();
  }

  /** Makes the claim loop look for work now instead of at the next poll. */
  public void wake() {
    synchronized (wakeLock) {
      wakeRequested = true;
      wakeLock.notifyAll();
    }
  }

  private void waitForWake(Duration timeout) throws InterruptedException {
    synchronized (wakeLock) {
      if (!wakeRequested && running) {
        wakeLock.wait(Math.max(1, timeout.toMillis()));
      }
      wakeRequested = false;
    }
  }

  private void claimLoop() {
    // Claiming one delivery per freed place would cost a database round trip each: wait until
    // half a batch of places is free, or for the poll interval.
    int threshold = Math.max(1, options.claimBatchSize() / 2);
    Instant lastClaim = Instant.MIN;
    while (running) {
      try {
        int free = capacity.availablePermits();
        boolean pollDue = !clock.instant().isBefore(lastClaim.plus(options.pollInterval()));
        if (free == 0 || (free < threshold && !pollDue)) {
          waitForWake(options.pollInterval());
          continue;
        }
        lastClaim = clock.instant();
        releaseIdleSlots();
        int wanted = Math.min(free, options.claimBatchSize());
        List<ClaimedDelivery> batch =
            outbox.claim(
                options.workerId(),
                wanted,
                options.lease(),
                claimRules.pausing(transports.paused()));
        stats.claimed(batch.size());
        for (Work work : group(batch)) {
          dispatch(work);
        }
        if (batch.size() < wanted) {
          waitForWake(options.pollInterval());
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (RuntimeException e) {
        // An unreachable store says so once itself; a poll per interval need not repeat it.
        LOG.log(
            e instanceof StoreUnavailableException ? Level.DEBUG : Level.WARNING,
            "claiming deliveries failed; trying again: {0}",
            e.toString());
        try {
          waitForWake(options.pollInterval());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /**
   * Gives back the slots of endpoints this worker holds no delivery of any more, from the claim
   * thread, so that a release never overtakes a claim that granted slots again.
   */
  private void releaseIdleSlots() {
    List<String> idle =
        slots.entrySet().stream().filter(e -> e.getValue().idle()).map(Map.Entry::getKey).toList();
    if (idle.isEmpty()) {
      return;
    }
    try {
      outbox.releaseSlots(options.workerId(), idle);
      idle.forEach(slots::remove);
    } catch (RuntimeException e) {
      // Kept, and given back at the next claim; meanwhile they are renewed with the leases.
      LOG.log(
          e instanceof StoreUnavailableException ? Level.DEBUG : Level.WARNING,
          "giving back slots failed: {0}",
          e.toString());
    }
  }

  /**
   * One request's worth of claimed deliveries: a single delivery, or the members of a batched
   * request to one endpoint ({@code batched}).
   */
  private record Work(List<ClaimedDelivery> deliveries, boolean batched) {
    ClaimedDelivery first() {
      return deliveries.get(0);
    }
  }

  /**
   * Groups a claim into requests: a batch being retried goes whole, the fresh deliveries of a
   * batched endpoint go {@code max_events} to a request, everything else one by one.
   */
  private List<Work> group(List<ClaimedDelivery> claimed) {
    List<Work> work = new ArrayList<>(claimed.size());
    Map<String, List<ClaimedDelivery>> retried = new LinkedHashMap<>();
    Map<String, List<ClaimedDelivery>> fresh = new LinkedHashMap<>();
    Map<String, BatchPolicy> policies = new HashMap<>();
    for (ClaimedDelivery d : claimed) {
      if (d.batchId() != null) {
        retried.computeIfAbsent(d.batchId(), id -> new ArrayList<>()).add(d);
        continue;
      }
      BatchPolicy policy = d.target().isEndpoint() ? batchPolicy(d) : null;
      if (policy == null) {
        work.add(new Work(List.of(d), false));
        continue;
      }
      policies.put(d.target().endpointId(), policy);
      fresh.computeIfAbsent(d.target().endpointId(), id -> new ArrayList<>()).add(d);
    }
    retried.values().forEach(members -> work.add(new Work(List.copyOf(members), true)));
    fresh.forEach(
        (endpointId, members) -> {
          int size = policies.get(endpointId).maxEvents();
          for (int i = 0; i < members.size(); i += size) {
            work.add(
                new Work(
                    List.copyOf(members.subList(i, Math.min(members.size(), i + size))), true));
          }
        });
    return work;
  }

  /** The batching of the delivery's endpoint; null when it is not batched or cannot be read. */
  private BatchPolicy batchPolicy(ClaimedDelivery d) {
    try {
      return endpointCache
          .find(d.tenantId(), d.target().endpointId())
          .map(Endpoint::batch)
          .orElse(null);
    } catch (RuntimeException e) {
      // Sent on its own; the send finds out what is wrong with the endpoint.
      return null;
    }
  }

  private void dispatch(Work work) {
    ClaimedDelivery first = work.first();
    if (first.target().isEndpoint()) {
      SlotGate gate = slots.computeIfAbsent(first.target().endpointId(), id -> new SlotGate());
      gate.grant(first.endpointSlots());
      gate.hold();
    }
    capacity.acquireUninterruptibly();
    work.deliveries().forEach(d -> inFlight.put(d.deliveryId(), d));
    ready.add(work);
    startRunner();
  }

  /**
   * Starts one more runner on the executor unless {@code concurrency} run already or nothing is
   * ready. The claimed batch waits in {@link #ready}, not in the executor's queue: in the server
   * that executor also serves HTTP requests, which would otherwise wait behind a batch of sends
   * (and the sends behind them).
   */
  private void startRunner() {
    while (true) {
      int busy = runners.get();
      if (busy >= options.concurrency() || ready.isEmpty()) {
        return;
      }
      if (runners.compareAndSet(busy, busy + 1)) {
        break;
      }
    }
    try {
      sends.execute(this::runReady);
    } catch (RejectedExecutionException e) {
      runners.decrementAndGet();
      List<String> given = new ArrayList<>();
      for (Work w = ready.poll(); w != null; w = ready.poll()) {
        finished(w);
        w.deliveries().forEach(d -> given.add(d.deliveryId()));
      }
      if (!given.isEmpty()) {
        outbox.release(options.workerId(), given);
      }
    }
  }

  private void runReady() {
    try {
      for (Work w = ready.poll(); w != null; w = ready.poll()) {
        if (w.batched()) {
          processBatch(w);
        } else {
          process(w.first());
        }
      }
    } finally {
      runners.decrementAndGet();
      // A delivery queued between the last poll and the decrement found every runner busy.
      startRunner();
    }
  }

  private void process(ClaimedDelivery delivery) {
    try (LogContext.Scope scope = LogContext.with(logFields(delivery))) {
      processInContext(delivery);
    }
  }

  private static Map<String, String> logFields(ClaimedDelivery delivery) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("event_id", delivery.eventId());
    fields.put("delivery_id", delivery.deliveryId());
    if (delivery.target().isEndpoint()) {
      fields.put("endpoint_id", delivery.target().endpointId());
    }
    fields.put("attempt", Integer.toString(delivery.attempt()));
    return fields;
  }

  private void processInContext(ClaimedDelivery delivery) {
    try {
      if (!running) {
        complete(delivery, handBack(delivery));
        return;
      }
      if (!delivery.target().isEndpoint()) {
        Transport transport = transports.get(delivery.target().transport());
        Instant startedAt = clock.instant();
        SendOutcome outcome = transport.send(message(delivery, null, delivery.body(), Map.of()));
        Instant now = clock.instant();
        DeliveryResult.Next next =
            redisRetry.next(outcome, delivery.eventCreatedAt(), transport.pausedFor(), now);
        complete(delivery, Outcomes.of(delivery, startedAt, outcome, next));
        return;
      }
      Optional<Endpoint> found =
          endpointCache.find(delivery.tenantId(), delivery.target().endpointId());
      if (found.isEmpty()) {
        complete(
            delivery, Outcomes.noAttempt(delivery, new DeliveryResult.Dead("endpoint deleted")));
        return;
      }
      Endpoint endpoint = found.get();
      if (!endpoint.active()) {
        complete(
            delivery,
            Outcomes.noAttempt(
                delivery,
                new DeliveryResult.Dead("endpoint disabled: " + endpoint.disabledReason())));
        return;
      }
      // The claim admitted it (circuit, rate limit) and granted this worker a share of the
      // endpoint's max_in_flight: the send goes through those slots.
      slots
          .get(endpoint.id())
          .run(
              () -> {
                // A queued send may run on the thread of another delivery.
                try (LogContext.Scope scope = LogContext.with(logFields(delivery))) {
                  complete(delivery, sendToEndpoint(delivery, endpoint));
                }
              });
    } catch (RuntimeException e) {
      complete(delivery, internalError(delivery, e));
    }
  }

  private void processBatch(Work work) {
    ClaimedDelivery first = work.first();
    try (LogContext.Scope scope = LogContext.with(batchLogFields(work))) {
      try {
        if (!running) {
          completeBatch(work, d -> handBack(d));
          return;
        }
        Optional<Endpoint> found =
            endpointCache.find(first.tenantId(), first.target().endpointId());
        if (found.isEmpty() || !found.get().active()) {
          DeliveryResult.Dead dead =
              new DeliveryResult.Dead(
                  found.isEmpty()
                      ? "endpoint deleted"
                      : "endpoint disabled: " + found.get().disabledReason());
          completeBatch(work, d -> Outcomes.noAttempt(d, dead));
          return;
        }
        Endpoint endpoint = found.get();
        slots
            .get(endpoint.id())
            .run(
                () -> {
                  try (LogContext.Scope inner = LogContext.with(batchLogFields(work))) {
                    sendBatch(work, endpoint);
                  }
                });
      } catch (RuntimeException e) {
        completeBatch(work, d -> internalError(d, e));
      }
    }
  }

  private static Map<String, String> batchLogFields(Work work) {
    ClaimedDelivery first = work.first();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("batch_id", batchId(work));
    fields.put("endpoint_id", first.target().endpointId());
    fields.put("events", Integer.toString(work.deliveries().size()));
    return fields;
  }

  /** The batch's id: its first member's delivery id, kept while it is retried. */
  private static String batchId(Work work) {
    ClaimedDelivery first = work.first();
    if (first.batchId() != null) {
      return first.batchId();
    }
    return work.deliveries().stream()
        .map(ClaimedDelivery::deliveryId)
        .min(String::compareTo)
        .orElseThrow();
  }

  /**
   * Sends the members as one request, {@code {"events": [envelope, ...]}} signed as a whole under
   * the message id {@code bat_...}, and gives every member the request's outcome; never throws.
   */
  private void sendBatch(Work work, Endpoint endpoint) {
    String batchId = batchId(work);
    List<ClaimedDelivery> members = work.deliveries();
    try {
      if (!running) {
        completeBatch(work, d -> handBack(d));
        return;
      }
      Instant now = clock.instant();
      Transport transport = transports.get(endpoint.transport());
      Payload payload = payload(endpoint, members, true);
      String messageId = BATCH_ID_PREFIX + batchId.substring(batchId.indexOf('_') + 1);
      Map<String, String> headers = new LinkedHashMap<>(endpoint.customHeaders());
      headers.putAll(payload.headers());
      headers.putAll(signers.of(endpoint).sign(messageId, BATCH_TYPE, payload.body(), now));
      int attempt = members.stream().mapToInt(ClaimedDelivery::attempt).max().orElseThrow();
      ClaimedDelivery first = work.first();
      SendOutcome outcome =
          transport.send(
              new OutboundMessage(
                  first.deliveryId(),
                  messageId,
                  BATCH_TYPE,
                  first.tenantId(),
                  endpoint.url(),
                  attempt,
                  payload.body(),
                  headers));
      RetryPolicy policy =
          endpoint.retryDelays() == null
              ? globalRetry
              : retryPolicy(RetrySchedule.of(endpoint.retryDelays()));
      DeliveryResult.Next next = policy.next(attempt, outcome, clock.instant());
      completeBatch(work, d -> Outcomes.of(d, now, outcome, next));
    } catch (RuntimeException e) {
      completeBatch(work, d -> internalError(d, e));
    }
  }

  /** A request's body, and the headers its format adds (the content type, CloudEvents' ce-*). */
  private record Payload(byte[] body, Map<String, String> headers) {}

  /**
   * The body of a request to {@code endpoint} carrying {@code members}, in the endpoint's format:
   * Herald's envelope ({@code {"events": [...]}} for a batch) or CloudEvents (structured, binary,
   * or the batch format).
   */
  private static Payload payload(Endpoint endpoint, List<ClaimedDelivery> members, boolean batch) {
    if (endpoint.format() != EndpointFormat.HERALD && batch) {
      // Binary mode has no batch form: a batched endpoint gets the structured batch.
      return new Payload(
          CloudEventsJson.batch(members.stream().map(ClaimedDelivery::body).toList()),
          Map.of("Content-Type", CloudEventsJson.BATCH_CONTENT_TYPE));
    }
    byte[] envelope = members.get(0).body();
    switch (endpoint.format()) {
      case CLOUDEVENTS_STRUCTURED:
        return new Payload(
            CloudEventsJson.structured(envelope),
            Map.of("Content-Type", CloudEventsJson.STRUCTURED_CONTENT_TYPE));
      case CLOUDEVENTS_BINARY:
        CloudEventsJson.Binary binary = CloudEventsJson.binary(envelope);
        return new Payload(binary.body(), binary.headers());
      default:
        break;
    }
    if (!batch) {
      return new Payload(EnvelopeJson.forProfile(envelope, endpoint.signatureProfile()), Map.of());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(EnvelopeJson.forProfile(members.get(i).body(), endpoint.signatureProfile()));
    }
    out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
    return new Payload(out.toByteArray(), Map.of());
  }

  /**
   * Records every member's result, under the batch's id when an attempt was made (so that the
   * members are retried together), in one transaction, and frees the request's place.
   */
  private void completeBatch(Work work, Function<ClaimedDelivery, DeliveryResult> outcome) {
    String batchId = batchId(work);
    List<DeliveryResult> results = new ArrayList<>(work.deliveries().size());
    for (ClaimedDelivery d : work.deliveries()) {
      DeliveryResult r = resultOrFallback(d, outcome.apply(d));
      if (r.attempt() != null) {
        r = new DeliveryResult(r.deliveryId(), r.attempt(), r.next(), r.endpointGone(), batchId);
      }
      countAndLog(d, r);
      results.add(r);
    }
    recorder.addAll(results);
    finished(work);
  }

  /** Signs and sends; never throws, so that a queued send always completes its delivery. */
  private DeliveryResult sendToEndpoint(ClaimedDelivery delivery, Endpoint endpoint) {
    try {
      if (!running) {
        return handBack(delivery);
      }
      Instant now = clock.instant();
      Transport transport = transports.get(endpoint.transport());
      Payload payload = payload(endpoint, List.of(delivery), false);
      String messageId =
          endpoint.signatureProfile() == SignatureProfile.STANDARD
              ? delivery.eventId()
              : delivery.deliveryId();
      Map<String, String> headers = new LinkedHashMap<>(endpoint.customHeaders());
      headers.putAll(payload.headers());
      headers.putAll(
          signers.of(endpoint).sign(messageId, delivery.eventType(), payload.body(), now));
      SendOutcome outcome =
          transport.send(message(delivery, endpoint.url(), payload.body(), headers));
      RetryPolicy policy =
          endpoint.retryDelays() == null
              ? globalRetry
              : retryPolicy(RetrySchedule.of(endpoint.retryDelays()));
      return Outcomes.of(
          delivery, now, outcome, policy.next(delivery.attempt(), outcome, clock.instant()));
    } catch (RuntimeException e) {
      return internalError(delivery, e);
    }
  }

  /**
   * Our own failure (bad stored secret, missing transport): retried by the schedule, so that it
   * ends in the dead-letter queue rather than looping forever.
   */
  private DeliveryResult internalError(ClaimedDelivery delivery, RuntimeException e) {
    LOG.log(Level.ERROR, "delivery " + delivery.deliveryId() + " failed inside Herald", e);
    SendOutcome outcome = Outcomes.internalError(e);
    Instant now = clock.instant();
    return Outcomes.of(delivery, now, outcome, globalRetry.next(delivery.attempt(), outcome, now));
  }

  /** While stopping, a send that has not started gives its delivery back, due at once. */
  private DeliveryResult handBack(ClaimedDelivery delivery) {
    return Outcomes.noAttempt(delivery, new DeliveryResult.Postponed(clock.instant()));
  }

  /**
   * In {@code webhook-primary}, sends the event to Redis too (once, however often it is asked).
   *
   * @return false when the fallback was needed but could not be stored
   */
  private boolean fallBackToRedis(ClaimedDelivery delivery) {
    if (!delivery.target().isEndpoint()
        || !Router.fallsBackToRedis(phases.get().phaseFor(delivery.tenantId()))) {
      return true;
    }
    try {
      if (outbox.addDelivery(delivery.tenantId(), delivery.eventId(), DeliveryTarget.redis())) {
        LOG.log(
            Level.INFO,
            "event {0} falls back to Redis: its delivery {1} cannot reach the endpoint",
            delivery.eventId(),
            delivery.deliveryId());
      }
      return true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not add the Redis fallback of event " + delivery.eventId(), e);
      return false;
    }
  }

  /** Records the result and frees the delivery's place; called exactly once per delivery. */
  private void complete(ClaimedDelivery delivery, DeliveryResult result) {
    result = resultOrFallback(delivery, result);
    countAndLog(delivery, result);
    recorder.add(result);
    finished(new Work(List.of(delivery), false));
  }

  private DeliveryResult resultOrFallback(ClaimedDelivery delivery, DeliveryResult result) {
    if (result.next() instanceof DeliveryResult.Dead && !fallBackToRedis(delivery)) {
      // Without its Redis copy a dead delivery must not end: look at it again shortly.
      return new DeliveryResult(
          result.deliveryId(),
          result.attempt(),
          new DeliveryResult.RetryAt(
              clock.instant().plus(options.pollInterval().multipliedBy(10))));
    }
    return result;
  }

  private void countAndLog(ClaimedDelivery delivery, DeliveryResult result) {
    stats.count(result.next());
    if (result.attempt() != null) {
      observe(delivery, result);
      if (result.next() instanceof DeliveryResult.Dead dead) {
        LOG.log(
            Level.WARNING,
            "delivery {0} is a dead letter after attempt {1}: {2}",
            delivery.deliveryId(),
            delivery.attempt(),
            dead.reason());
      }
    }
  }

  private void observe(ClaimedDelivery delivery, DeliveryResult result) {
    try {
      observer.attempted(delivery, result.attempt(), result.next());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "delivery observer failed: {0}", e.toString());
    }
  }

  private void finished(Work work) {
    ClaimedDelivery first = work.first();
    if (first.target().isEndpoint()) {
      SlotGate gate = slots.get(first.target().endpointId());
      if (gate != null) {
        gate.done();
      }
    }
    synchronized (inFlight) {
      work.deliveries().forEach(d -> inFlight.remove(d.deliveryId()));
      inFlight.notifyAll();
    }
    capacity.release();
    wake();
  }

  private OutboundMessage message(
      ClaimedDelivery delivery, String destination, byte[] body, Map<String, String> headers) {
    return new OutboundMessage(
        delivery.deliveryId(),
        delivery.eventId(),
        delivery.eventType(),
        delivery.tenantId(),
        destination,
        delivery.attempt(),
        body,
        headers);
  }

  /** Logs and reports what recording outcomes did to endpoints' health. */
  private void healthChanged(Recorded.HealthChange change) {
    try (LogContext.Scope scope = LogContext.with(Map.of("endpoint_id", change.endpointId()))) {
      reportHealthChange(change);
    }
  }

  private void reportHealthChange(Recorded.HealthChange change) {
    if (change.circuitOpened()) {
      LOG.log(
          Level.WARNING,
          "circuit of endpoint {0} opened after {1} consecutive failures",
          change.endpointId(),
          change.consecutiveFailures());
      try {
        observer.circuitOpened(change.endpointId());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "delivery observer failed: {0}", e.toString());
      }
    }
    if (change.circuitClosed()) {
      LOG.log(Level.INFO, "circuit of endpoint {0} closed: a probe succeeded", change.endpointId());
    }
    if (change.disabledReason() != null) {
      endpointCache.invalidate(change.endpointId());
      LOG.log(
          Level.WARNING,
          "endpoint {0} disabled: {1}",
          change.endpointId(),
          change.disabledReason());
    }
    try {
      observer.healthChanged(change);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "delivery observer failed: {0}", e.toString());
    }
  }

  private RetryPolicy retryPolicy(RetrySchedule schedule) {
    return new RetryPolicy(schedule, Jitter.of(options.retryJitter()));
  }

  private void renewLeases() {
    Set<String> held = Set.copyOf(inFlight.keySet());
    if (held.isEmpty()) {
      return;
    }
    try {
      outbox.renewLeases(options.workerId(), held, options.lease());
    } catch (RuntimeException e) {
      LOG.log(
          e instanceof StoreUnavailableException ? Level.DEBUG : Level.WARNING,
          "renewing {0} leases failed: {1}",
          held.size(),
          e.toString());
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "closing failed", e);
    }
  }
}

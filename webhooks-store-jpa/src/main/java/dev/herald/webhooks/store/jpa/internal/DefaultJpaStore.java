package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.spi.ApiKeyStore.ApiKeyInfo;
import dev.herald.webhooks.spi.ApiKeyStore.PortalLinkInfo;
import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.CircuitState;
import dev.herald.webhooks.spi.ClaimRules;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryOperations.EndpointStats;
import dev.herald.webhooks.spi.DeliveryOperations.RedriveFilter;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.DeliveryTarget;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointStore.EndpointChanges;
import dev.herald.webhooks.spi.EnvelopeEncoder;
import dev.herald.webhooks.spi.HealthRules;
import dev.herald.webhooks.spi.Insights.CircuitView;
import dev.herald.webhooks.spi.Insights.DeliveryFilter;
import dev.herald.webhooks.spi.Insights.Minute;
import dev.herald.webhooks.spi.Insights.TenantSummary;
import dev.herald.webhooks.spi.MigrationReport;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.spi.PreparedEvent;
import dev.herald.webhooks.spi.Recorded;
import dev.herald.webhooks.spi.TenantStore.ExportSink;
import dev.herald.webhooks.spi.TenantStore.Purged;
import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.persistence.EntityManagerFactory;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/** The {@link JpaStore}: delegates to one small class per concern. */
public final class DefaultJpaStore implements JpaStore {
  private final boolean postgres;
  private final DataSource dataSource;
  private final Jpa jpa;
  private final WorkSignal signal;
  private final Publishing publishing;
  private final Claims claims;
  private final Recording recording;
  private final Leases leases;
  private final Endpoints endpoints;
  private final Tenants tenants;
  private final Circuits circuits;
  private final History history;
  private final ApiKeys apiKeys;
  private final PortalLinks portalLinks;
  private final Operations operations;
  private final InsightQueries insights;
  private final AutoCloseable onClose;

  public DefaultJpaStore(
      DataSource dataSource,
      boolean postgres,
      EntityManagerFactory factory,
      SecretCipher cipher,
      Clock clock,
      AutoCloseable onClose) {
    this.postgres = postgres;
    this.dataSource = dataSource;
    this.jpa = new Jpa(factory);
    this.signal = new WorkSignal(dataSource, postgres);
    Dialect dialect = Dialect.of(postgres);
    AddedDeliveries addedDeliveries = new AddedDeliveries(clock);
    this.endpoints = new Endpoints(jpa, cipher, clock);
    this.publishing =
        new Publishing(
            dataSource, dialect, clock, signal, addedDeliveries, endpoints::activeEndpoints);
    this.claims = new Claims(dataSource, dialect, clock, addedDeliveries);
    this.recording = new Recording(dataSource, dialect, clock, endpoints::forgetActive);
    this.leases = new Leases(dataSource, dialect, clock, signal);
    this.tenants = new Tenants(jpa, dataSource, clock, endpoints::list);
    this.circuits = new Circuits(jpa, dataSource);
    this.history = new History(jpa, dataSource);
    this.apiKeys = new ApiKeys(jpa, dataSource, clock);
    this.portalLinks = new PortalLinks(dataSource, clock);
    this.operations = new Operations(dataSource, dialect, clock, signal);
    this.insights = new InsightQueries(dataSource);
    this.onClose = onClose;
  }

  @Override
  public boolean isPostgres() {
    return postgres;
  }

  @Override
  public void ping(Duration timeout) {
    Jdbc.autoCommit(
        dataSource,
        "ping",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT value_text FROM settings WHERE name = ?")) {
            ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            ps.setString(1, "herald.ping");
            ps.executeQuery().close();
          }
          return null;
        });
  }

  // OutboxStore

  @Override
  public PublishResult publish(PreparedEvent event, EnvelopeEncoder encoder) {
    return publishing.publish(event, encoder);
  }

  @Override
  public List<PublishResult> publishAll(List<PreparedEvent> events, EnvelopeEncoder encoder) {
    return publishing.publishAll(events, encoder);
  }

  @Override
  public List<ClaimedDelivery> claim(String owner, int max, Duration lease, ClaimRules rules) {
    return claims.claim(owner, max, lease, rules);
  }

  @Override
  public int renewLeases(String owner, Collection<String> deliveryIds, Duration lease) {
    leases.renewSlots(owner, lease);
    return leases.renewLeases(owner, deliveryIds, lease);
  }

  @Override
  public void releaseSlots(String owner, Collection<String> endpointIds) {
    leases.releaseSlots(owner, endpointIds);
  }

  @Override
  public Recorded record(String owner, List<DeliveryResult> results, HealthRules rules) {
    return recording.record(owner, results, rules);
  }

  @Override
  public void release(String owner, Collection<String> deliveryIds) {
    leases.release(owner, deliveryIds);
  }

  @Override
  public AutoCloseable onNewWork(Runnable listener) {
    return signal.add(listener);
  }

  // EndpointStore

  @Override
  public List<Endpoint> activeEndpoints(String tenantId) {
    return endpoints.activeEndpoints(tenantId);
  }

  @Override
  public Optional<Endpoint> find(String tenantId, String endpointId) {
    return endpoints.find(tenantId, endpointId);
  }

  @Override
  public void disable(String tenantId, String endpointId, String reason) {
    endpoints.disable(tenantId, endpointId, reason);
  }

  @Override
  public Endpoint create(NewEndpoint endpoint) {
    return endpoints.create(endpoint);
  }

  @Override
  public Page<Endpoint> list(String tenantId, String cursor, int limit) {
    return endpoints.list(tenantId, cursor, limit);
  }

  @Override
  public Optional<Endpoint> update(String tenantId, String endpointId, EndpointChanges changes) {
    return endpoints.update(tenantId, endpointId, changes);
  }

  @Override
  public boolean enable(String tenantId, String endpointId) {
    return endpoints.enable(tenantId, endpointId);
  }

  @Override
  public Optional<Endpoint> rotateSecret(
      String tenantId, String endpointId, String newSecret, Instant previousExpiresAt) {
    return endpoints.rotateSecret(tenantId, endpointId, newSecret, previousExpiresAt);
  }

  @Override
  public boolean delete(String tenantId, String endpointId) {
    return endpoints.delete(tenantId, endpointId);
  }

  // TenantStore

  @Override
  public Tenant createTenant(String id, String name) {
    return tenants.create(id, name);
  }

  @Override
  public Optional<Tenant> findTenant(String id) {
    return tenants.find(id);
  }

  @Override
  public boolean deleteTenant(String id) {
    boolean deleted = tenants.delete(id);
    endpoints.forgetTenant(id);
    return deleted;
  }

  @Override
  public List<String> deletedTenants() {
    return tenants.deleted();
  }

  @Override
  public Purged eraseDeletedTenant(String id, int batchSize) {
    Purged erased = tenants.erase(id, batchSize);
    endpoints.forgetTenant(id);
    return erased;
  }

  @Override
  public Purged purgeEventsOlderThan(Instant cutoff, int batchSize) {
    return tenants.purgeEventsOlderThan(cutoff, batchSize);
  }

  @Override
  public boolean exportTenant(String id, ExportSink sink) {
    return tenants.export(id, sink);
  }

  @Override
  public boolean tryLease(String job, String holder, Duration duration) {
    return tenants.tryLease(job, holder, duration);
  }

  // CircuitStateStore

  @Override
  public CircuitState load(String endpointId) {
    return circuits.load(endpointId);
  }

  @Override
  public CircuitState update(String endpointId, UnaryOperator<CircuitState> transition) {
    return circuits.update(endpointId, transition);
  }

  // SettingsStore

  @Override
  public Optional<String> get(String key) {
    return jpa.read(
        "read setting",
        em -> Optional.ofNullable(em.find(SettingEntity.class, key)).map(s -> s.value));
  }

  @Override
  public void put(String key, String value) {
    SettingEntity s = new SettingEntity();
    s.name = key;
    s.value = value;
    jpa.inTransaction("write setting", em -> em.merge(s));
  }

  @Override
  public Map<String, String> byPrefix(String prefix) {
    String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return jpa.read(
        "read settings",
        em ->
            em
                .createQuery(
                    "SELECT s FROM SettingEntity s WHERE s.name LIKE :p ESCAPE '\\'",
                    SettingEntity.class)
                .setParameter("p", pattern)
                .getResultList()
                .stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.name, e -> e.value, (a, b) -> a, java.util.TreeMap::new)));
  }

  @Override
  public void remove(String key) {
    jpa.inTransaction(
        "remove setting",
        em ->
            em.createQuery("DELETE FROM SettingEntity s WHERE s.name = :k")
                .setParameter("k", key)
                .executeUpdate());
  }

  // DeliveryOperations

  @Override
  public boolean retryNow(String tenantId, String deliveryId) {
    return operations.retryNow(tenantId, deliveryId);
  }

  @Override
  public int redrive(String tenantId, RedriveFilter filter) {
    return operations.redrive(tenantId, filter);
  }

  @Override
  public int replay(String tenantId, String endpointId, Instant since, int limit) {
    return endpoints
        .find(tenantId, endpointId)
        .map(endpoint -> operations.replay(endpoint, since, limit))
        .orElse(0);
  }

  @Override
  public EndpointStats stats(String tenantId, String endpointId, Instant from, Instant to) {
    return operations.stats(tenantId, endpointId, from, to);
  }

  @Override
  public Page<DeliveryView> deadLetters(String tenantId, String cursor, int limit) {
    return history.deliveriesOfEndpoint(tenantId, null, DeliveryStatus.DEAD, cursor, limit);
  }

  @Override
  public List<Long> queueDepthByPriority() {
    return operations.queueDepthByPriority();
  }

  @Override
  public Map<CircuitState.Status, Long> circuitsByStatus() {
    return operations.circuitsByStatus();
  }

  // ApiKeyStore

  @Override
  public ApiKeyInfo saveKey(String tenantId, String description, String keyHash) {
    return apiKeys.save(tenantId, description, keyHash);
  }

  @Override
  public Optional<ApiKeyInfo> findKeyByHash(String keyHash) {
    return apiKeys.findByHash(keyHash);
  }

  @Override
  public List<ApiKeyInfo> keysOf(String tenantId) {
    return apiKeys.list(tenantId);
  }

  @Override
  public boolean revokeKey(String tenantId, String keyId) {
    return apiKeys.revoke(tenantId, keyId);
  }

  @Override
  public void touchKey(String keyId, Instant now) {
    apiKeys.touch(keyId, now);
  }

  @Override
  public Optional<PortalLinkInfo> savePortalLink(
      String tenantId, String tokenHash, Instant now, Instant expiresAt, int maxLive) {
    return portalLinks.save(tenantId, tokenHash, now, expiresAt, maxLive);
  }

  @Override
  public Optional<PortalLinkInfo> findPortalLinkByHash(String tokenHash) {
    return portalLinks.findByHash(tokenHash);
  }

  @Override
  public List<PortalLinkInfo> portalLinksOf(String tenantId, Instant now) {
    return portalLinks.list(tenantId, now);
  }

  @Override
  public boolean revokePortalLink(String tenantId, String linkId) {
    return portalLinks.revoke(tenantId, linkId);
  }

  // DeliveryHistory

  @Override
  public MigrationReport migrationReport(
      String tenantId, Instant from, Instant to, int mismatchLimit) {
    return history.migrationReport(tenantId, from, to, mismatchLimit);
  }

  @Override
  public boolean addDelivery(String tenantId, String eventId, DeliveryTarget target) {
    return publishing.addDelivery(tenantId, eventId, target);
  }

  @Override
  public Optional<byte[]> eventEnvelope(String tenantId, String eventId) {
    return history.eventEnvelope(tenantId, eventId);
  }

  @Override
  public Optional<List<DeliveryView>> deliveriesOfEvent(String tenantId, String eventId) {
    return history.deliveriesOfEvent(tenantId, eventId);
  }

  @Override
  public Page<DeliveryView> deliveriesOfEndpoint(
      String tenantId, String endpointId, DeliveryStatus status, String cursor, int limit) {
    return history.deliveriesOfEndpoint(tenantId, endpointId, status, cursor, limit);
  }

  @Override
  public Optional<List<AttemptRecord>> attempts(
      String tenantId, String endpointId, String deliveryId) {
    return history.attempts(tenantId, endpointId, deliveryId);
  }

  // Insights

  @Override
  public List<Minute> attemptsPerMinute(
      String tenantId, String endpointId, Instant from, Instant to) {
    return insights.attemptsPerMinute(tenantId, endpointId, from, to);
  }

  @Override
  public Page<DeliveryView> deliveries(
      String tenantId, String endpointId, DeliveryFilter filter, String cursor, int limit) {
    return history.deliveries(tenantId, endpointId, filter, cursor, limit);
  }

  @Override
  public List<TenantSummary> tenants() {
    return insights.tenants();
  }

  @Override
  public List<CircuitView> unhealthyCircuits(String tenantId) {
    return insights.unhealthyCircuits(tenantId);
  }

  @Override
  public void close() {
    signal.close();
    jpa.close();
    try {
      onClose.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the connection pool failed", e);
    }
  }
}

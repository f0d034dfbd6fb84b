package dev.herald.webhooks.store.jpa.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes workers when deliveries become due: local listeners at once after a commit in this process;
 * on PostgreSQL also through {@code LISTEN herald_work}, on one daemon thread that holds one
 * connection of the pool while any listener is registered. Thread-safe.
 */
final class WorkSignal implements AutoCloseable {
  static final String CHANNEL = "herald_work";
  private static final System.Logger LOG = System.getLogger(WorkSignal.class.getName());
  private static final int POLL_MILLIS = 500;
  private static final long RECONNECT_MILLIS = 1000;

  private final DataSource dataSource;
  private final boolean postgres;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  /** The payload of this signal's notifications, so that it does not wake its listeners twice. */
  private final String origin = UUID.randomUUID().toString();

  private Thread listenerThread;
  private Thread notifierThread;
  private boolean notifyPending;

  WorkSignal(DataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.postgres = postgres;
  }

  AutoCloseable add(Runnable listener) {
    listeners.add(listener);
    if (postgres) {
      startListening();
    }
    return () -> listeners.remove(listener);
  }

  /**
   * After a commit that made deliveries due: wakes this process's listeners at once and, on
   * PostgreSQL, has one {@code NOTIFY} sent to other processes soon after.
   *
   * <p>The {@code NOTIFY} is not sent inside the publishing transaction: PostgreSQL serializes the
   * commits of transactions that notify (they take one database-wide lock, held until the commit
   * record is flushed), so concurrent publishes could not share a WAL flush and every publish paid
   * a whole flush in turn. Sent afterwards from one thread, one {@code NOTIFY} covers every commit
   * since the previous one. It is only a wake-up: workers still poll, so a lost one delays a
   * delivery by at most a poll interval and loses nothing.
   */
  void newWork() {
    fireLocal();
    if (postgres) {
      synchronized (this) {
        if (closed.getCount() == 0) {
          return;
        }
        notifyPending = true;
        if (notifierThread == null) {
          notifierThread = new Thread(this::notifyLoop, "herald-pg-notify");
          notifierThread.setDaemon(true);
          notifierThread.start();
        }
        notifyAll();
      }
    }
  }

  private void notifyLoop() {
    long failures = 0;
    while (true) {
      synchronized (this) {
        while (!notifyPending && closed.getCount() > 0) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed.getCount() == 0) {
          return;
        }
        notifyPending = false;
      }
      try {
        Jdbc.autoCommit(
            dataSource,
            "notify",
            c -> {
              // One round trip. Nothing to make durable: a NOTIFY lost in a crash only delays a
              // wake-up, so its commit need not wait for the WAL flush.
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, origin);
                ps.executeQuery().close();
              }
              return null;
            });
        failures = 0;
      } catch (RuntimeException e) {
        if (failures++ % 100 == 0) {
          LOG.log(
              System.Logger.Level.WARNING,
              "NOTIFY " + CHANNEL + " failed; other processes find new work by polling",
              e);
        }
        try {
          if (closed.await(RECONNECT_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  void fireLocal() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "new-work listener failed", e);
      }
    }
  }

  private synchronized void startListening() {
    if (listenerThread != null || closed.getCount() == 0) {
      return;
    }
    listenerThread = new Thread(this::listen, "herald-pg-listen");
    listenerThread.setDaemon(true);
    listenerThread.start();
  }

  private void listen() {
    while (closed.getCount() > 0) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (closed.getCount() > 0) {
          PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications != null && fromElsewhere(notifications) && !listeners.isEmpty()) {
            fireLocal();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed.getCount() == 0) {
          return;
        }
        if (StoreFailures.isUnavailability(e)) {
          StoreFailures.of("LISTEN " + CHANNEL, e); // logged once, while the database is away
        } else {
          LOG.log(
              System.Logger.Level.WARNING,
              "LISTEN " + CHANNEL + " failed; reconnecting in " + RECONNECT_MILLIS + " ms",
              e);
        }
        try {
          if (closed.await(RECONNECT_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Whether another process sent any of these: this one fired its listeners at its commits. */
  private boolean fromElsewhere(PGNotification[] notifications) {
    for (PGNotification notification : notifications) {
      if (!origin.equals(notification.getParameter())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed.countDown();
    Thread thread;
    synchronized (this) {
      thread = listenerThread;
      notifyAll();
    }
    if (thread != null) {
      try {
        // getNotifications returns within POLL_MILLIS, then the loop sees the close.
        thread.join(POLL_MILLIS * 4L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

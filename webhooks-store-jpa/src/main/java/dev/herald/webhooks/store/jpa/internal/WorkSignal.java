package dev.herald.webhooks.store.jpa.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
  private Thread listenerThread;

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
   * Inside the transaction that makes deliveries due: tells other processes once it commits
   * (PostgreSQL {@code NOTIFY} is delivered at commit, and dropped on rollback).
   */
  void notifyOtherProcesses(Connection connection) throws SQLException {
    if (postgres) {
      try (PreparedStatement ps = connection.prepareStatement("SELECT pg_notify(?, '')")) {
        ps.setString(1, CHANNEL);
        ps.executeQuery().close();
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
          if (notifications != null && notifications.length > 0 && !listeners.isEmpty()) {
            fireLocal();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed.getCount() == 0) {
          return;
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "LISTEN " + CHANNEL + " failed; reconnecting in " + RECONNECT_MILLIS + " ms",
            e);
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

  @Override
  public void close() {
    closed.countDown();
    Thread thread;
    synchronized (this) {
      thread = listenerThread;
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

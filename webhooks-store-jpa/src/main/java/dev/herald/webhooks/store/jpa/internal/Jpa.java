package dev.herald.webhooks.store.jpa.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import java.util.function.Function;

/** One entity manager and one resource-local transaction per call. */
final class Jpa {
  private final EntityManagerFactory factory;

  Jpa(EntityManagerFactory factory) {
    this.factory = factory;
  }

  <T> T inTransaction(String operation, Function<EntityManager, T> work) {
    EntityManager em = factory.createEntityManager();
    EntityTransaction tx = em.getTransaction();
    try {
      tx.begin();
      T result = work.apply(em);
      tx.commit();
      StoreFailures.reachable();
      return result;
    } catch (PersistenceException e) {
      throw StoreFailures.of(operation, e);
    } finally {
      try {
        if (tx.isActive()) {
          tx.rollback();
        }
      } catch (PersistenceException rollback) {
        // The connection is gone with the database: nothing was committed, nothing to undo.
      }
      em.close();
    }
  }

  <T> T read(String operation, Function<EntityManager, T> work) {
    EntityManager em = factory.createEntityManager();
    try {
      T result = work.apply(em);
      StoreFailures.reachable();
      return result;
    } catch (PersistenceException e) {
      throw StoreFailures.of(operation, e);
    } finally {
      em.close();
    }
  }

  void close() {
    factory.close();
  }
}

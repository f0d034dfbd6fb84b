package dev.herald.webhooks.store.jpa.internal;

import dev.herald.webhooks.store.jpa.StoreException;
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
      return result;
    } catch (PersistenceException e) {
      throw new StoreException(operation + " failed: " + e.getMessage(), e);
    } finally {
      if (tx.isActive()) {
        tx.rollback();
      }
      em.close();
    }
  }

  <T> T read(String operation, Function<EntityManager, T> work) {
    EntityManager em = factory.createEntityManager();
    try {
      return work.apply(em);
    } catch (PersistenceException e) {
      throw new StoreException(operation + " failed: " + e.getMessage(), e);
    } finally {
      em.close();
    }
  }

  void close() {
    factory.close();
  }
}

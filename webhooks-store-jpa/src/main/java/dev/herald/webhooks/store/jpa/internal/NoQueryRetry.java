package dev.herald.webhooks.store.jpa.internal;

import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;

/**
 * Turns off EclipseLink's retry of a read whose connection failed (by default three more tries, 5 s
 * apart): with the database gone, a request would hang for 15 s before failing. The store fails at
 * once instead, typed as unavailable, and callers retry when it makes sense.
 */
public final class NoQueryRetry implements SessionCustomizer {
  @Override
  public void customize(Session session) {
    if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
      login.setQueryRetryAttemptCount(0);
      login.setDelayBetweenConnectionAttempts(0);
    }
  }
}

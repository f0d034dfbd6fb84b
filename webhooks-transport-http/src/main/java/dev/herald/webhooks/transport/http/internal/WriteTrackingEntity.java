package dev.herald.webhooks.transport.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * A request entity that records when it has been written and flushed to the connection, so that a
 * connection breaking afterwards is told apart (ambiguous: the receiver may have the request) from
 * one breaking before (the receiver cannot have it).
 */
public final class WriteTrackingEntity extends HttpEntityWrapper {

  private volatile boolean written;

  public WriteTrackingEntity(HttpEntity wrapped) {
    super(wrapped);
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    super.writeTo(out);
    // Flush here rather than leave it to the client: only bytes on the wire can have arrived.
    out.flush();
    written = true;
  }

  /** Whether the whole body has been handed to the socket. */
  public boolean written() {
    return written;
  }
}

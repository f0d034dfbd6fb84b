package dev.herald.webhooks.store.jpa.internal;

/** A tenant's subject, whose events share one sequence; the empty subject stands for none. */
record SubjectKey(String tenantId, String subject) implements Comparable<SubjectKey> {
  @Override
  public int compareTo(SubjectKey o) {
    int byTenant = tenantId.compareTo(o.tenantId);
    return byTenant != 0 ? byTenant : subject.compareTo(o.subject);
  }
}

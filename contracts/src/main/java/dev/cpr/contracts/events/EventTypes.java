package dev.cpr.contracts.events;

/** CloudEvents {@code type} values. Reverse-DNS, past tense: each names what happened. */
public final class EventTypes {
    public static final String INCIDENT_OPENED = "dev.cpr.incident.opened";
    public static final String INCIDENT_RESOLVED = "dev.cpr.incident.resolved";
    /** A recovery plan changed state or one of its steps did; the payload is the whole plan. */
    public static final String RECOVERY_UPDATED = "dev.cpr.recovery.updated";
    /** A backup changed state (in-progress, completed, verified, corrupt, failed); the payload is the whole catalog entry. */
    /** A person approved or rejected a plan that was waiting (REST or Slack); restore-service acts on it. */
    public static final String APPROVAL_DECIDED = "dev.cpr.approval.decided";
    public static final String BACKUP_UPDATED = "dev.cpr.backup.updated";

    private EventTypes() {
    }
}

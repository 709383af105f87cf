package dev.cpr.contracts.events;

/**
 * Kafka topic names. Every record is keyed by cluster id, so one cluster's events stay ordered
 * and one consumer instance owns a cluster at a time.
 */
public final class Topics {
    /** Written by health-monitor and backup-service (RPO breaches); read by restore-service, backup-service, notifier. */
    public static final String INCIDENTS = "cpr.incidents";
    /**
     * Written by backup-service; no cpr service reads it yet. Kept: it is the catalog's change feed for readers outside
     * the services, and the slack-approval scenario judges by it (it waits for the backup's {@code verified} event).
     */
    public static final String BACKUPS = "cpr.backups";
    /** Written by restore-service; read by notifier. */
    public static final String RECOVERIES = "cpr.recoveries";
    /**
     * Written by notifier (Slack decisions) and restore-service (its REST decisions, read back for the audit); read by
     * restore-service, which acts only on a signed decision. Kept: notifier's Slack clicks reach restore-service here.
     */
    public static final String APPROVALS = "cpr.approvals";

    private Topics() {
    }

    /**
     * The dead-letter topic of one consumer of one topic, e.g. {@code cpr.incidents.dlq.restore-service}.
     * Per consumer, so a record one service cannot read does not hide from the others.
     */
    public static String deadLetter(String topic, String consumer) {
        return topic + ".dlq." + consumer;
    }
}

package dev.cpr.contracts.events;

/**
 * Kafka topic names. Every record is keyed by cluster id, so one cluster's events stay ordered
 * and one consumer instance owns a cluster at a time.
 */
public final class Topics {
    public static final String INCIDENTS = "cpr.incidents";
    public static final String BACKUPS = "cpr.backups";
    public static final String RECOVERIES = "cpr.recoveries";
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

package dev.cpr.healthmonitor.app;

/**
 * Gets committed incident events out. The events themselves were written by {@link IncidentRecords} in the incident's
 * own transaction; this only says that there is something new, so it leaves now rather than at the next poll of the
 * outbox.
 */
public interface IncidentEvents {

    void committed();
}

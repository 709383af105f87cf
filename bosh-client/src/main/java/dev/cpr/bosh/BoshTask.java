package dev.cpr.bosh;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A director task as {@code GET /tasks/<id>} returns it.
 *
 * @param state     {@code queued}, {@code processing}, {@code cancelling} (still running), {@code done} (success),
 *                  {@code error}, {@code cancelled}, {@code timeout} (failures)
 * @param result    a short result ({@code "scan complete"}, {@code "1 resolved"}) or, for a failed task, the error
 * @param timestamp epoch seconds of the last state change
 * @param startedAt epoch seconds when it started processing, null while queued
 */
public record BoshTask(
        long id,
        String state,
        String description,
        Long timestamp,
        Long startedAt,
        String result,
        String user,
        String deployment,
        String contextId) {

    public static final String QUEUED = "queued";
    public static final String PROCESSING = "processing";
    public static final String CANCELLING = "cancelling";
    public static final String DONE = "done";
    public static final String ERROR = "error";
    public static final String CANCELLED = "cancelled";
    public static final String TIMEOUT = "timeout";

    /** {@code queued}, {@code processing} or {@code cancelling}: keep waiting. */
    @JsonIgnore
    public boolean isRunning() {
        return QUEUED.equals(state) || PROCESSING.equals(state) || CANCELLING.equals(state);
    }

    @JsonIgnore
    public boolean isSucceeded() {
        return DONE.equals(state);
    }

    /** {@code error}, {@code cancelled} or {@code timeout}. */
    @JsonIgnore
    public boolean isFailed() {
        return ERROR.equals(state) || CANCELLED.equals(state) || TIMEOUT.equals(state);
    }
}

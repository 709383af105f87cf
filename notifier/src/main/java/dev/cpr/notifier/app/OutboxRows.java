package dev.cpr.notifier.app;

import java.time.Instant;
import java.util.Optional;

/**
 * The Slack outbox as the senders of every replica share it. A row is worked on by the sender that claimed it, until
 * its lease runs out; every change below is made only while {@code owner} still holds the claim and says whether it
 * did. Blocking (JDBC); failures are unchecked.
 */
public interface OutboxRows {

    /**
     * Claims the oldest pending row that is due, not claimed by a live sender, and has no earlier pending row in its
     * thread (a top-level message, its replies and their updates go in id order), recording its first attempt.
     */
    Optional<OutboxRow> claimNext(String owner, Instant now, Instant leaseUntil);

    /** Extends the claim while the row is being worked on. */
    boolean renew(long id, String owner, Instant leaseUntil);

    /** Slack has the message: its channel, ts and thread with the row's {@code SENT}, in one transaction. */
    boolean markSent(long id, long messageId, String owner, String channel, String ts, String threadTs, Instant now);

    /** {@code SENT} (an update), {@code SKIPPED} or {@code FAILED}, with the error if any. */
    boolean finish(long id, String owner, String state, String error, Instant now);

    /** Not taken this time: tried again at {@code next} by whichever sender claims it then. */
    boolean postpone(long id, String owner, String error, Instant next);

    /** Deletes sent and skipped rows done before {@code before}; how many. */
    int deleteDone(Instant before);

    /** Rows not sent yet; -1 when the database cannot tell. */
    long pending();
}

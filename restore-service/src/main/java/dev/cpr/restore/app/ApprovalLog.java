package dev.cpr.restore.app;

import java.time.Instant;
import java.util.Optional;

/** The approval audit and the ledger of approval ids already used. Every call is durable when it returns. */
public interface ApprovalLog {

    /** One audit entry, as the desk writes it and the REST view shows it. */
    record Entry(long id, Instant at, String channel, String claimedChannel, String approvalId, String planId,
            String clusterId, String decision, String decidedBy, Instant decidedAt, String planDigest, boolean signed,
            String outcome, String refusal, String reason) {
    }

    void append(Entry entry);

    /** True the first time an approval id is seen, false for a replay. */
    boolean firstUse(String approvalId, Instant now);

    /** Who gave the first of two approvals of this plan at this digest, if anyone did. */
    Optional<String> firstApprover(String planId, String digest);

    /** Whether this service accepted a REST decision with this approval id (its own record read back from the bus). */
    boolean acceptedOverRest(String approvalId, String planId, String decision, String decidedBy);
}

package dev.cpr.restore.domain.approval;

/** Why an approval attempt was refused; the audit keeps the name. */
public enum Refusal {
    /** A REST caller without the operator role. */
    NOT_OPERATOR,
    /** A bus record without a signature: nobody vouches for it. */
    UNSIGNED,
    /** A signature no trusted key made over these bytes (tampered, or another key). */
    BAD_SIGNATURE,
    /** Signed, but without an approval id or a plan digest. */
    INCOMPLETE,
    /** Issued longer ago than the configured maximum age (or dated in the future). */
    STALE,
    /** Its approval id was seen before. */
    REPLAY,
    UNKNOWN_PLAN,
    WRONG_CLUSTER,
    /** It names a digest other than the plan's: the plan changed after the person saw it. */
    DIGEST_MISMATCH,
    /** The plan is no longer waiting for a decision. */
    NOT_WAITING,
    /** Two distinct approvers are required and this one approved already. */
    SAME_APPROVER
}

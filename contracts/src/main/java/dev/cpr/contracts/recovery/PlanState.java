package dev.cpr.contracts.recovery;

/**
 * Life of a recovery plan.
 * <pre>
 *   PROPOSED ──(mode auto)──────────────▶ RUNNING ──▶ SUCCEEDED
 *      │                                    │    └──▶ FAILED
 *      └─(mode approval)─▶ AWAITING_APPROVAL ┘
 *                              └──▶ REJECTED | EXPIRED        any non-final ──▶ CANCELLED
 * </pre>
 */
public enum PlanState {
    PROPOSED, AWAITING_APPROVAL, RUNNING, SUCCEEDED, FAILED, CANCELLED, REJECTED, EXPIRED;

    public boolean isFinal() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED, REJECTED, EXPIRED -> true;
            default -> false;
        };
    }
}

package dev.cpr.contracts.approval;

/** Where a decision was made; the audit keeps it. */
public enum ApprovalChannel {
    REST, SLACK
}

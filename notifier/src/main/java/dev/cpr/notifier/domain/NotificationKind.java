package dev.cpr.notifier.domain;

/** What a stored Slack message is. */
public enum NotificationKind {
    /** The top-level message of an incident (updated to resolved at the end). */
    INCIDENT,
    /** A recovery plan's progress, one message per plan, updated in place. */
    PROGRESS,
    /** The reply in the incident's thread saying it is resolved. */
    RESOLUTION,
    /** A backup that failed or that a drill found corrupt: one message per backup and outcome. */
    BACKUP
}

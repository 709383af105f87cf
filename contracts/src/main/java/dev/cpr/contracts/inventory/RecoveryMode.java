package dev.cpr.contracts.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a plan may run for a cluster. */
public enum RecoveryMode {
    /** Run as soon as the failure is confirmed. */
    @JsonProperty("auto") AUTO,
    /** Propose, then wait for a person to approve. */
    @JsonProperty("approval") APPROVAL,
    /** Tell people, never act. */
    @JsonProperty("notify-only") NOTIFY_ONLY
}

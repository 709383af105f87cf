package dev.cpr.console.domain;

import java.time.Instant;

/** One moment of an incident's life: {@code at}, what happened, and the plan it belongs to (null for the incident's own). */
public record TimelineEntry(Instant at, String what, String planId) {
}

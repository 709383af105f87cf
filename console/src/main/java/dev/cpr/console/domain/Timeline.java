package dev.cpr.console.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An incident from its first failed poll to its resolution, with the plans it got in between: when each was
 * proposed, decided, each step started and ended, and how the plan ended. Built from what health-monitor and
 * restore-service store; nothing is kept by the console.
 */
public final class Timeline {

    private Timeline() {
    }

    public static List<TimelineEntry> of(Incident incident, List<Plan> plans) {
        List<TimelineEntry> entries = new ArrayList<>();
        add(entries, incident.firstSeenAt(), "first failed poll: " + incident.summary(), null);
        add(entries, incident.detectedAt(), "incident opened: " + incident.failure()
                + (incident.failedMembers() == null || incident.failedMembers().isEmpty() ? ""
                        : " (" + String.join(", ", incident.failedMembers()) + ")"), null);
        for (Plan plan : plans) {
            add(entries, plan.createdAt(), "plan " + plan.plan() + " proposed (" + plan.mode() + ")"
                    + (plan.snapshot() == null ? "" : ", from snapshot " + plan.snapshot().id()), plan.id());
            if (plan.decidedAt() != null) {
                add(entries, plan.decidedAt(), "plan " + plan.plan() + " decided by " + plan.decidedBy(), plan.id());
            }
            for (Step step : plan.steps()) {
                add(entries, step.startedAt(), "step " + step.name() + " started", plan.id());
                add(entries, step.finishedAt(), "step " + step.name() + " " + step.state().toLowerCase()
                        + (step.attempts() > 1 ? " after " + step.attempts() + " attempts" : ""), plan.id());
            }
            if (plan.finished()) {
                add(entries, plan.updatedAt(), "plan " + plan.plan() + " " + plan.state().toLowerCase()
                        + (plan.message() == null ? "" : ": " + plan.message()), plan.id());
            }
        }
        add(entries, incident.resolvedAt(), "incident resolved", null);
        // a stable sort: what happened at the same instant keeps the order it was added in (cause before effect)
        entries.sort(Comparator.comparing(TimelineEntry::at));
        return entries;
    }

    private static void add(List<TimelineEntry> entries, Instant at, String what, String planId) {
        if (at != null) {
            entries.add(new TimelineEntry(at, what, planId));
        }
    }
}

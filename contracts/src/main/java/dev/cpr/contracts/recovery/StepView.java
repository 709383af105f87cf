package dev.cpr.contracts.recovery;

import java.time.Instant;

/**
 * One step as published: enough for a Slack progress message or a REST reader.
 *
 * @param destructive the step changes the cluster (removing a member, wiping data): never repeated once done
 * @param attempts    how many times its action was started
 */
public record StepView(
        int index,
        String name,
        String description,
        boolean destructive,
        StepState state,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        String output) {
}

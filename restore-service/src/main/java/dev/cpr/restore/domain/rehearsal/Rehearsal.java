package dev.cpr.restore.domain.rehearsal;

import java.time.Instant;
import java.util.List;

/**
 * One rehearsal of a cluster's quorum restore: the plan a real quorum loss would run, run against a scratch cluster
 * of the same size, timed and checked.
 *
 * @param clusterId        the real cluster whose restore was rehearsed (never touched)
 * @param scratchId        the scratch cluster's id ({@code <cluster>-rehearsal-<8 hex>})
 * @param snapshotId       the real cluster's newest verified snapshot restored; null when there was none
 * @param targetRevision   the newest point the change log reached after it (null: the snapshot only)
 * @param revisionReached  the scratch cluster's revision at the end (null when it never answered)
 * @param keyCount         the scratch cluster's keys at the end (null when it never answered)
 * @param rtoMillis        the plan's first step started to the cluster healthy and verified (null unless PASSED)
 * @param steps            each step's state and duration, in runbook order
 * @param reason           why PASSED or FAILED, in words naming the step, revision or leftover
 */
public record Rehearsal(String id, String clusterId, String scratchId, String snapshotId, Long targetRevision,
        Long revisionReached, Long keyCount, Instant startedAt, Instant finishedAt, Long rtoMillis, List<StepTime> steps,
        Verdict verdict, String reason) {

    public Rehearsal {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public enum Verdict { PASSED, FAILED }

    /** A step of the rehearsed plan: its final state ({@code SUCCEEDED}, {@code SKIPPED}, ...) and how long it ran. */
    public record StepTime(String name, String state, long millis) {
    }
}

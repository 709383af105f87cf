package dev.cpr.restore.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code rehearsals} (V9): one quorum-restore rehearsal. Only the persistence adapter sees it. */
@Entity
@Table(name = "rehearsals")
public class RehearsalEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "cluster_id")
    public String clusterId;
    @Column(name = "scratch_id")
    public String scratchId;
    @Column(name = "snapshot_id")
    public String snapshotId;
    @Column(name = "target_revision")
    public Long targetRevision;
    @Column(name = "revision_reached")
    public Long revisionReached;
    @Column(name = "key_count")
    public Long keyCount;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "rto_ms")
    public Long rtoMs;
    /** {@code [{"name", "state", "millis"}, ...]} in runbook order. */
    @Column(name = "step_durations")
    public String stepDurations;
    public String verdict;
    public String reason;
}

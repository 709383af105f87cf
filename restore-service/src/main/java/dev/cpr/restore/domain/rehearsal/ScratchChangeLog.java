package dev.cpr.restore.domain.rehearsal;

import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The real cluster's change log, asked for by the scratch cluster's id: the rehearsed plan's steps name the cluster
 * they run on (the scratch one), while the change log to replay is the real cluster's.
 */
public record ScratchChangeLog(ChangeLogSource changeLog, String scratchId, String sourceId) implements ChangeLogSource {

    @Override
    public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
        return changeLog.segments(source(clusterId), after, upTo);
    }

    @Override
    public byte[] segment(String clusterId, long id) {
        return changeLog.segment(source(clusterId), id);
    }

    @Override
    public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
        return changeLog.revisionAt(source(clusterId), time);
    }

    private String source(String clusterId) {
        if (!scratchId.equals(clusterId)) {
            throw new ChangeLogUnavailable("the rehearsal's change log serves scratch cluster " + scratchId + " only, "
                    + "not " + clusterId);
        }
        return sourceId;
    }
}

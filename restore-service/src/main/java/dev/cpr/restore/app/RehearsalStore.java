package dev.cpr.restore.app;

import dev.cpr.restore.domain.rehearsal.Rehearsal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code rehearsals} table: every rehearsal's outcome, kept so the RTO is known before it is needed. */
public interface RehearsalStore {

    void record(Rehearsal rehearsal);

    /** Newest first; of one cluster when given. */
    List<Rehearsal> list(Optional<String> clusterId, int limit);

    /**
     * Claims the cluster's scheduled rehearsal for this replica until {@code until}, unless another claim on it is
     * still unexpired at {@code now}: of replicas due at once, one rehearses.
     *
     * @return whether this replica holds the claim now
     */
    boolean claim(String clusterId, String replicaId, Instant now, Instant until);
}

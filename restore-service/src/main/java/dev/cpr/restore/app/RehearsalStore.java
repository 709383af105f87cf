package dev.cpr.restore.app;

import dev.cpr.restore.domain.rehearsal.Rehearsal;
import java.util.List;
import java.util.Optional;

/** The {@code rehearsals} table: every rehearsal's outcome, kept so the RTO is known before it is needed. */
public interface RehearsalStore {

    void record(Rehearsal rehearsal);

    /** Newest first; of one cluster when given. */
    List<Rehearsal> list(Optional<String> clusterId, int limit);
}

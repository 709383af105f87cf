package dev.cpr.restore.domain.plans;

import dev.cpr.restore.domain.snapshot.SnapshotRef;

/** Which snapshot a restore would use, or why there is none (see {@link EtcdQuorumRestoreType#chooseSnapshot}). */
public sealed interface SnapshotChoice {

    record Chosen(SnapshotRef snapshot) implements SnapshotChoice {
    }

    record NoSnapshot(String reason) implements SnapshotChoice {
    }

    /** backup-service could not be asked (rather than: it has no such snapshot). */
    record CatalogDown(String reason) implements SnapshotChoice {
    }

    /** Why there is no snapshot; null when one was chosen. */
    default String reason() {
        if (this instanceof NoSnapshot none) {
            return none.reason();
        }
        return this instanceof CatalogDown down ? down.reason() : null;
    }
}

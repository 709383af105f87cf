package dev.cpr.restore.domain.plans;

import dev.cpr.restore.domain.bbr.BbrArtifactRef;

/** Which bbr artifact a BBR restore would use, or why there is none (see {@link BbrRestoreType#chooseArtifact}). */
public sealed interface ArtifactChoice {

    record Chosen(BbrArtifactRef artifact) implements ArtifactChoice {
    }

    /** @param catalogDown backup-service could not be asked (rather than: it has no such artifact) */
    record NoArtifact(String reason, boolean catalogDown) implements ArtifactChoice {
    }
}

package dev.cpr.backup.domain.drill;

/**
 * What the catalog says a snapshot holds.
 *
 * @param revision    the member's revision when the snapshot started (a lower bound)
 * @param revisionEnd the member's revision when it ended (an upper bound; null if unknown)
 * @param keyCount    live keys at {@code revision}; exact only when {@link #exact()}
 */
public record DrillExpectation(String sha256, long revision, Long revisionEnd, long keyCount) {

    public boolean exact() {
        return revisionEnd != null && revisionEnd == revision;
    }
}

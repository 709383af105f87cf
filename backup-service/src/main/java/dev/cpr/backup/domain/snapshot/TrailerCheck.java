package dev.cpr.backup.domain.snapshot;

/**
 * What etcd's own trailing hash says about a snapshot.
 *
 * @param snapshotBytes size of the (uncompressed) snapshot, trailer included
 * @param hashPresent   the size leaves room for a trailer
 * @param valid         the trailer is the sha256 of the content before it
 */
public record TrailerCheck(long snapshotBytes, boolean hashPresent, boolean valid, String detail) {
}

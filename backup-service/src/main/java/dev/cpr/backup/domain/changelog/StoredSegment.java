package dev.cpr.backup.domain.changelog;

import dev.cpr.contracts.changelog.Segment;

/** A segment as the catalog knows it: where its bytes are and how many there are. */
public record StoredSegment(Segment segment, String location, long sizeBytes) {
}

package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The catalog's change-log rules without PostgreSQL: a position that only moves forward, segments in order. */
public final class InMemoryChangeLogCatalog implements ChangeLogCatalog {

    private final Map<String, Long> positions = new HashMap<>();
    private final List<StoredSegment> segments = new ArrayList<>();

    @Override
    public synchronized OptionalLong lastDurableRevision(String clusterId) {
        Long revision = positions.get(clusterId);
        return revision == null ? OptionalLong.empty() : OptionalLong.of(revision);
    }

    @Override
    public synchronized void recorded(Segment segment, String location, long sizeBytes) {
        Long durable = positions.get(segment.clusterId());
        if (durable != null && durable >= segment.firstRevision()) {
            throw new IllegalStateException("durable up to " + durable + " already: " + segment);
        }
        positions.put(segment.clusterId(), segment.lastRevision());
        segments.add(new StoredSegment(segment, location, sizeBytes));
    }

    @Override
    public synchronized int forget(String clusterId) {
        positions.remove(clusterId);
        int before = segments.size();
        segments.removeIf(s -> s.segment().clusterId().equals(clusterId));
        return before - segments.size();
    }

    @Override
    public synchronized List<StoredSegment> segments(String clusterId) {
        return segments.stream().filter(s -> s.segment().clusterId().equals(clusterId))
                .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
    }
}

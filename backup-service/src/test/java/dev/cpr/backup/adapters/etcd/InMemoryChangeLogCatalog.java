package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.ProvenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The catalog's change-log rules without PostgreSQL: a position that only moves forward, segments in order, a broken
 * part marked once with the incident it opened.
 */
public final class InMemoryChangeLogCatalog implements ChangeLogCatalog {

    private final Map<String, Long> positions = new HashMap<>();
    private final Map<String, Long> etcdClusterIds = new HashMap<>();
    private final List<StoredSegment> segments = new ArrayList<>();
    private final List<BrokenChain> broken = new ArrayList<>();
    private final List<ProvenChain> proven = new ArrayList<>();
    final List<IncidentOpened> incidents = new ArrayList<>();
    final List<IncidentResolved> resolved = new ArrayList<>();

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
    public synchronized boolean markBroken(BrokenChain mark, IncidentOpened incident) {
        if (broken.stream().anyMatch(b -> b.clusterId().equals(mark.clusterId())
                && b.fromRevision() == mark.fromRevision())) {
            return false;
        }
        broken.add(mark);
        incidents.add(incident);
        return true;
    }

    @Override
    public synchronized List<BrokenChain> broken(String clusterId) {
        return broken.stream().filter(b -> b.clusterId().equals(clusterId))
                .sorted(Comparator.comparingLong(BrokenChain::fromRevision)).toList();
    }

    @Override
    public synchronized List<BrokenChain> openBreaks(String clusterId) {
        return broken(clusterId).stream().filter(b -> resolved.stream()
                .noneMatch(r -> r.incidentId().equals(b.incidentId()))).toList();
    }

    @Override
    public synchronized boolean resolveBroken(BrokenChain mark, IncidentResolved resolution) {
        if (!openBreaks(mark.clusterId()).contains(mark)) {
            return false;
        }
        resolved.add(resolution);
        return true;
    }

    /** A test's tampering: the row of {@code old} now says what {@code now} says (another sha256, say). */
    synchronized void rewrite(StoredSegment old, StoredSegment now) {
        segments.set(segments.indexOf(old), now);
    }

    @Override
    public synchronized void proven(ProvenChain chain) {
        if (!isProven(chain.clusterId(), chain.fromBackupId(), chain.nextBackupId())) {
            proven.add(chain);
        }
    }

    @Override
    public synchronized boolean isProven(String clusterId, String fromBackupId, String nextBackupId) {
        return proven.stream().anyMatch(p -> p.clusterId().equals(clusterId) && p.fromBackupId().equals(fromBackupId)
                && p.nextBackupId().equals(nextBackupId));
    }

    @Override
    public synchronized List<StoredSegment> forget(String clusterId) {
        positions.remove(clusterId);
        etcdClusterIds.remove(clusterId);
        broken.removeIf(b -> b.clusterId().equals(clusterId));
        proven.removeIf(p -> p.clusterId().equals(clusterId));
        List<StoredSegment> forgotten = segments(clusterId);
        segments.removeAll(forgotten);
        return forgotten;
    }

    @Override
    public synchronized int remove(String clusterId, List<StoredSegment> removed) {
        int before = segments.size();
        segments.removeIf(s -> s.segment().clusterId().equals(clusterId) && removed.contains(s));
        return before - segments.size();
    }

    @Override
    public synchronized OptionalLong etcdClusterId(String clusterId) {
        Long id = etcdClusterIds.get(clusterId);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public synchronized void recordingFrom(String clusterId, long etcdClusterId) {
        etcdClusterIds.put(clusterId, etcdClusterId);
    }

    @Override
    public synchronized List<StoredSegment> segments(String clusterId) {
        return segments.stream().filter(s -> s.segment().clusterId().equals(clusterId))
                .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
    }
}

package dev.cpr.restore.domain.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** backup-service's catalog in memory: verified snapshots and their bytes; can be made unreachable. */
public final class InMemorySnapshotCatalog implements SnapshotCatalog {

    private final Map<String, SnapshotRef> refs = new LinkedHashMap<>();
    private final Map<String, byte[]> contents = new LinkedHashMap<>();
    private final Map<String, byte[]> v2 = new LinkedHashMap<>();
    private final Map<String, V2Export> v2Refs = new LinkedHashMap<>();
    public boolean unreachable;

    /** The snapshot also has a v2 keyspace export with these bytes and this catalog sha256 and key count. */
    public InMemorySnapshotCatalog withV2(String snapshotId, byte[] export, String sha256, long keyCount) {
        v2.put(snapshotId, export);
        v2Refs.put(snapshotId, new V2Export(sha256, keyCount));
        return this;
    }

    @Override
    public Optional<V2Export> downloadV2(String snapshotId, Path target) {
        check();
        if (!v2.containsKey(snapshotId)) {
            return Optional.empty();
        }
        try {
            Files.write(target, v2.get(snapshotId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(v2Refs.get(snapshotId));
    }
    public int downloads;

    public InMemorySnapshotCatalog add(SnapshotRef ref, byte[] content) {
        refs.put(ref.id(), ref);
        contents.put(ref.id(), content);
        return this;
    }

    @Override
    public Optional<SnapshotRef> newestVerified(String clusterId) {
        check();
        return refs.values().stream().filter(r -> r.clusterId().equals(clusterId))
                .max(java.util.Comparator.comparing(SnapshotRef::createdAt));
    }

    @Override
    public Optional<SnapshotRef> newestVerifiedAtOrBefore(String clusterId, long revision) {
        check();
        return refs.values().stream().filter(r -> r.clusterId().equals(clusterId) && r.revision() <= revision)
                .max(java.util.Comparator.comparingLong(SnapshotRef::revision));
    }

    @Override
    public Optional<SnapshotRef> verified(String snapshotId) {
        check();
        return Optional.ofNullable(refs.get(snapshotId));
    }

    @Override
    public long download(String snapshotId, Path target) {
        check();
        downloads++;
        try {
            Files.write(target, contents.get(snapshotId));
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check() {
        if (unreachable) {
            throw new CatalogUnavailableException("connection refused: 127.0.0.1:8082");
        }
    }
}

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
    public boolean unreachable;
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

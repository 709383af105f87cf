package dev.cpr.restore.domain.bbr;

import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** backup-service's verified bbr artifacts, in memory; {@link #down} makes every call fail as unreachable. */
public final class InMemoryBbrArtifactCatalog implements BbrArtifactCatalog {

    private final Map<String, BbrArtifactRef> verified = new LinkedHashMap<>();
    public boolean down;
    public int lookups;

    public InMemoryBbrArtifactCatalog add(BbrArtifactRef ref) {
        verified.put(ref.id(), ref);
        return this;
    }

    /** It was deleted by retention, or found corrupt by a later check. */
    public void forget(String id) {
        verified.remove(id);
    }

    @Override
    public Optional<BbrArtifactRef> newestVerified(String clusterId, String kind) {
        available();
        return verified.values().stream().filter(r -> r.clusterId().equals(clusterId) && r.kind().equals(kind))
                .max(Comparator.comparing(BbrArtifactRef::createdAt));
    }

    @Override
    public Optional<BbrArtifactRef> verified(String id) {
        available();
        lookups++;
        return Optional.ofNullable(verified.get(id));
    }

    private void available() {
        if (down) {
            throw new SnapshotCatalog.CatalogUnavailableException("backup-service at http://backup:8082 failed: "
                    + "Connection refused");
        }
    }
}

package dev.cpr.backup.app;

import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Checks an uploaded copy of a backup's artifact (e.g. one that was downloaded, moved and is about to be restored)
 * exactly as the backup's own drill would, without changing the catalog; and sweeps copies a stopped check left.
 */
@ApplicationScoped
public class CopyChecks {

    /** The store's "cluster" directory for uploaded copies being checked (deleted right after). */
    static final String CHECKS = "_checks";

    private static final Logger LOG = Logger.getLogger(CopyChecks.class);

    private final BackupCatalog catalog;
    private final RestoreDrill verifier;
    private final ArtifactStore store;
    private final Set<String> activeChecks = ConcurrentHashMap.newKeySet();

    public CopyChecks(BackupCatalog catalog, RestoreDrill verifier, ArtifactStore store) {
        this.catalog = catalog;
        this.verifier = verifier;
        this.store = store;
    }

    /**
     * Stores the copy as a scratch artifact, then runs the same {@link RestoreDrill} against the catalog's record of
     * {@code id} (stored sha256, etcd's trailing sha256, {@code snapshot restore}, a scratch etcd, revision and key
     * count). The scratch artifact is always deleted.
     */
    public DrillResult checkCopy(UUID id, InputStream copy) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> BackupRequestRefused.notFound("no backup " + id));
        Drills.refuseBbr(backup, "only an etcd snapshot's copy can be checked by a restore drill");
        DrillExpectation expected = catalog.expectation(id)
                .orElseThrow(() -> BackupRequestRefused.conflict("backup " + id + " is " + backup.status().wire()
                        + ": it has no recorded revision to check a copy against"));
        Compression compression = Compression.fromWire(backup.compression());
        String location = CHECKS + "/check-" + UUID.randomUUID() + compression.extension();
        activeChecks.add(location);
        try (ArtifactStore.PendingArtifact pending = store.begin(CHECKS, location.substring(CHECKS.length() + 1))) {
            try (OutputStream out = pending.output()) {
                copy.transferTo(out);
            }
            pending.commit();
        } catch (IOException e) {
            activeChecks.remove(location);
            throw new IllegalStateException("cannot store the uploaded copy of backup " + id + ": " + e.getMessage(), e);
        }
        try {
            DrillResult result = verifier.drill("cluster " + backup.clusterId() + " backup " + id + " (uploaded copy)",
                    location, compression, expected);
            LOG.infof("cluster %s backup %s: uploaded copy is %s: %s", backup.clusterId(), id, result.verdict(),
                    result.detail());
            return result;
        } finally {
            ArtifactCleanup.deleteQuietly(store, location);
            activeChecks.remove(location);
        }
    }

    /**
     * Deletes uploaded copies left in the store by a check that never finished (the process stopped mid-drill);
     * returns how many.
     */
    public int sweepChecks() {
        int swept = 0;
        try {
            for (String location : store.list(CHECKS)) {
                if (!activeChecks.contains(location) && store.delete(location)) {
                    LOG.warnf("deleted %s, an uploaded copy left by a check that never finished", location);
                    swept++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("could not sweep uploaded copies under %s: %s", CHECKS, e.getMessage());
        }
        return swept;
    }
}

package dev.cpr.backup.app;

import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.Sha256OutputStream;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Restore drills of etcd snapshots: completed → verified or corrupt (the v2 export checked too), stored, published,
 * and every verified backup told to the listeners (the RPO guard resolves its incident).
 */
@ApplicationScoped
public class Drills {

    private static final Logger LOG = Logger.getLogger(Drills.class);

    private final Inventory inventory;
    private final BackupCatalog catalog;
    private final RestoreDrill verifier;
    private final ArtifactStore store;
    private final BackupMetrics metrics;
    private final List<Consumer<BackupUpdate>> verifiedListeners = new CopyOnWriteArrayList<>();

    public Drills(Inventory inventory, BackupCatalog catalog, RestoreDrill verifier,
            ArtifactStore store, BackupMetrics metrics) {
        this.inventory = inventory;
        this.catalog = catalog;
        this.verifier = verifier;
        this.store = store;
        this.metrics = metrics;
    }

    /** Told of every backup a drill verified, and of every verified BBR backup (the RPO guard resolves its incident). */
    public void onVerified(Consumer<BackupUpdate> listener) {
        verifiedListeners.add(listener);
    }

    /** A BBR backup was verified by checksum: the same listeners as a drilled snapshot's. */
    public void bbrVerified(BackupUpdate backup) {
        verifiedListeners.forEach(l -> l.accept(backup));
    }

    /** Runs a restore drill now (blocking) and returns the updated entry. */
    public BackupUpdate verify(UUID id) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> BackupRequestRefused.notFound("no backup " + id));
        refuseBbr(backup, "restore drills are for etcd snapshots; a bbr artifact's checksums were verified when it was "
                + "taken");
        if (!backup.status().hasArtifact()) {
            throw BackupRequestRefused.conflict("backup " + id + " is " + backup.status().wire()
                    + ": there is nothing to drill");
        }
        return drill(backup);
    }

    BackupUpdate drill(BackupUpdate backup) {
        refuseBbr(backup, "restore drills are for etcd snapshots");
        UUID id = UUID.fromString(backup.backupId());
        String label = "cluster " + backup.clusterId() + " backup " + id;
        DrillExpectation expected = catalog.expectation(id).orElseThrow(() -> BackupRequestRefused.conflict(
                "backup " + id + " has no recorded revision to compare with"));
        DrillResult result = verifier.drill(label, backup.location(), Compression.fromWire(backup.compression()), expected,
                inventory.cluster(backup.clusterId()).orElse(null));
        if (result.verdict() == DrillResult.Verdict.VERIFIED) {
            Optional<V2Export> v2 = catalog.v2(id);
            if (v2.isPresent()) {
                Optional<String> v2Problem = checkV2(v2.get());
                if (v2Problem.isPresent()) {
                    result = DrillResult.corrupt(result.detail() + "; but the v2 export " + v2Problem.get(), result.duration());
                } else {
                    result = new DrillResult(result.verdict(), result.detail() + "; v2 export intact (" + v2.get().keyCount()
                            + " keys)", result.restoredRevision(), result.restoredKeyCount(), result.duration());
                }
            }
        }
        metrics.drill(backup.clusterId(), result);
        BackupUpdate drilled = catalog.drilled(id, result);
        switch (result.verdict()) {
            case VERIFIED -> {
                metrics.verified(drilled);
                verifiedListeners.forEach(l -> l.accept(drilled));
                LOG.infof("%s: verified in %d ms: %s", label, result.duration().toMillis(), result.detail());
            }
            case CORRUPT -> LOG.errorf("%s: CORRUPT: %s", label, result.detail());
            case INCONCLUSIVE -> LOG.warnf("%s: drill inconclusive: %s", label, result.detail());
        }
        return drilled;
    }

    /** Empty when the v2 export's stored bytes are the cataloged ones, else what is wrong. */
    private Optional<String> checkV2(V2Export v2) {
        try (InputStream in = store.open(v2.location())) {
            Sha256OutputStream hashed = new Sha256OutputStream(OutputStream.nullOutputStream());
            in.transferTo(hashed);
            String sha = hashed.hex();
            if (!sha.equals(v2.sha256())) {
                return Optional.of(v2.location() + " has sha256 " + sha + ", the catalog recorded " + v2.sha256());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(v2.location() + " cannot be read: " + e);
        }
    }

    static void refuseBbr(BackupUpdate backup, String why) {
        if (BackupKind.isBbr(backup.kind())) {
            throw BackupRequestRefused.conflict("backup " + backup.backupId() + " is a " + backup.kind() + " backup (an "
                    + "artifact directory at " + backup.location() + "): " + why);
        }
    }
}

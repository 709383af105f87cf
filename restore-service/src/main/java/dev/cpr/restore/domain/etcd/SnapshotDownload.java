package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The {@code fetch-snapshot} step of a quorum restore: the snapshot downloaded from backup-service's catalog to
 * {@code <snapshotDir>/<cluster>/<planId>-<snapshotId>.db}, its sha256 checked against the catalog before anything
 * is stopped.
 */
final class SnapshotDownload {

    private final ClusterSpec cluster;
    private final String planId;
    private final SnapshotRef snapshot;
    private final SnapshotCatalog catalog;
    private final EtcdQuorumRestorePlan.Settings settings;

    SnapshotDownload(ClusterSpec cluster, String planId, SnapshotRef snapshot, SnapshotCatalog catalog,
            EtcdQuorumRestorePlan.Settings settings) {
        this.cluster = cluster;
        this.planId = planId;
        this.snapshot = snapshot;
        this.catalog = catalog;
        this.settings = settings;
    }

    /** The checked, uncompressed snapshot file: only ever created by a rename after the hash check. */
    Path file() {
        return settings.snapshotDir().resolve(cluster.id())
                .resolve(planId + "-" + EtcdQuorumRestorePlan.required(snapshot).id() + ".db");
    }

    Optional<String> fetched() throws IOException {
        Path file = file();
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return Optional.of(file + " (" + Files.size(file) + " bytes) was downloaded and checked");
        }
        return Optional.empty();
    }

    String fetch() throws IOException {
        SnapshotRef ref = EtcdQuorumRestorePlan.required(snapshot);
        Path file = file();
        Files.createDirectories(file.getParent());
        Path download = file.resolveSibling(file.getFileName() + (ref.gzipped() ? ".gz.part" : ".part"));
        Files.deleteIfExists(download);
        long started = System.nanoTime();
        long bytes = catalog.download(ref.id(), download);
        String actual = sha256(download);
        if (ref.sha256() == null || !ref.sha256().equalsIgnoreCase(actual)) {
            Files.deleteIfExists(download);
            throw new StepSpec.FatalStepException("sha256 of the downloaded snapshot " + ref.id() + " is " + actual
                    + " but the catalog says " + ref.sha256() + ": refused, nothing was stopped or changed");
        }
        if (ref.gzipped()) {
            Path plain = file.resolveSibling(file.getFileName() + ".part");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(download), 1 << 16);
                    OutputStream out = Files.newOutputStream(plain)) {
                in.transferTo(out);
            }
            Files.delete(download);
            download = plain;
        }
        Files.move(download, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return String.format("downloaded %s: %d bytes in %d ms, sha256 %s matches the catalog -> %s",
                ref.id(), bytes, Duration.ofNanos(System.nanoTime() - started).toMillis(), actual, file);
    }

    void verify() throws IOException {
        if (fetched().isEmpty()) {
            throw new IllegalStateException(file() + " is missing or empty after the download");
        }
    }

    static String sha256(Path file) throws IOException {
        return Sha256.hex(file);
    }
}

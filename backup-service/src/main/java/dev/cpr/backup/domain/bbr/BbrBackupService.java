package dev.cpr.backup.domain.bbr;

import dev.cpr.bosh.bbr.BbrTarget;

import dev.cpr.bosh.bbr.BbrFailure;

import dev.cpr.bosh.bbr.BbrRun;

import dev.cpr.bosh.bbr.BbrProcess;

import dev.cpr.bosh.bbr.BbrVerification;
import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A BBR backup of a {@code kind: bosh} cluster, start to catalog:
 * <ol>
 *   <li>catalog: in progress ({@code bbr-deployment} or {@code bbr-director});</li>
 *   <li>{@code bbr ... pre-backup-check}; if it fails, no lock was taken: stop;</li>
 *   <li>{@code bbr ... backup --artifact-path <root>/<cluster>}; if it fails, times out or is killed:
 *       {@code bbr ... backup-cleanup} (removes what the job scripts left on the instances and unlocks), and the
 *       partial artifact directory is deleted: nothing of it is cataloged as usable;</li>
 *   <li>on success, {@link BbrArtifactVerifier}: every checksum of every file in every tar, every expected
 *       instance: {@code verified} or {@code corrupt}.</li>
 * </ol>
 * When a deployment backup failed because one instance was down (seed 001: bbr needs every master), an etcd
 * snapshot is taken from a healthy member instead ({@link EtcdFallback}) and the result and the catalog say so.
 * Blocking: run it on a job thread.
 */
public final class BbrBackupService {

    /** Limits of the three kinds of bbr call. */
    public record Timeouts(Duration check, Duration backup, Duration cleanup) {
    }

    private final BbrProcess bbr;
    private final BbrCatalog catalog;
    private final BbrArtifactVerifier verifier;
    private final EtcdFallback fallback;
    private final Path artifactRoot;
    private final Timeouts timeouts;

    public BbrBackupService(BbrProcess bbr, BbrCatalog catalog, BbrArtifactVerifier verifier, EtcdFallback fallback,
            Path artifactRoot, Timeouts timeouts) {
        this.bbr = Objects.requireNonNull(bbr);
        this.catalog = Objects.requireNonNull(catalog);
        this.verifier = Objects.requireNonNull(verifier);
        this.fallback = fallback;
        this.artifactRoot = artifactRoot.toAbsolutePath().normalize();
        this.timeouts = timeouts;
    }

    /** {@code bbr deployment ... backup}, falling back to an etcd snapshot when a master is down. */
    public BbrBackupResult backupDeployment(ClusterSpec cluster, String trigger) {
        return backup(cluster, BbrTarget.deployment(cluster), trigger, line -> { });
    }

    /** {@code bbr director ... backup} (seed 003); no fallback: the director's state is not in etcd. */
    public BbrBackupResult backupDirector(ClusterSpec cluster, String trigger) {
        return backup(cluster, BbrTarget.director(cluster), trigger, line -> { });
    }

    /** As the others, with every bbr output line also told to {@code onLine} (progress, tests). */
    public BbrBackupResult backup(ClusterSpec cluster, BbrTarget target, String trigger, Consumer<String> onLine) {
        return run(catalog.started(cluster.id(), target.kind(), trigger), cluster, target, onLine);
    }

    /**
     * The backup of a catalog entry already recorded in progress (by whoever answered the trigger at once, e.g. a
     * REST call answering 202, or a scheduled slot claimed in the catalog); every outcome is told to the catalog.
     */
    public BbrBackupResult run(String id, ClusterSpec cluster, BbrTarget target, Consumer<String> onLine) {
        List<BbrRun> runs = new ArrayList<>();
        BbrRun check = bbr.run(cluster.id(), target.command("pre-backup-check"), target.env(), timeouts.check(), onLine);
        runs.add(check);
        if (!check.succeeded()) {
            return failed(cluster, target, id, runs, "bbr " + target.describe() + " cannot be backed up ("
                    + check.describe() + ")", check.text());
        }
        Path dir = artifactRoot.resolve(cluster.id());
        Set<Path> before = listArtifacts(dir);
        BbrRun backup = bbr.run(cluster.id(), target.backup(dir.toString()), target.env(), timeouts.backup(), onLine);
        runs.add(backup);
        List<Path> created = listArtifacts(dir).stream().filter(p -> !before.contains(p))
                .sorted(Comparator.comparing(Path::toString)).toList();
        if (!backup.succeeded()) {
            BbrRun cleanup = bbr.run(cluster.id(), target.command("backup-cleanup"), target.env(), timeouts.cleanup(),
                    onLine);
            runs.add(cleanup);
            created.forEach(BbrBackupService::deleteRecursively);
            String why = "bbr " + target.describe() + " backup failed (" + backup.describe() + "); "
                    + (cleanup.succeeded() ? "backup-cleanup ran" : "backup-cleanup failed too (" + cleanup.describe()
                    + "): the instances may still hold bbr's backup directories or locks")
                    + (created.isEmpty() ? "" : "; partial artifact " + created.get(0).getFileName() + " deleted");
            return failed(cluster, target, id, runs, why, backup.text());
        }
        if (created.size() != 1) {
            String why = "bbr " + target.describe() + " backup exited 0 but left " + created.size()
                    + " new artifact directories in " + dir + ": " + created;
            return failed(cluster, target, id, runs, why, backup.text());
        }
        Path artifact = created.get(0);
        BbrVerification verification = verifier.verify(artifact, target.expectedInstances());
        if (verification.verified()) {
            catalog.verified(id, artifact.toString(), verification);
            return new BbrBackupResult(id, cluster.id(), target.kind(), BbrBackupResult.Outcome.VERIFIED, artifact,
                    Optional.of(verification), runs, Optional.empty(), Optional.empty(), verification.detail());
        }
        catalog.corrupt(id, artifact.toString(), verification);
        return new BbrBackupResult(id, cluster.id(), target.kind(), BbrBackupResult.Outcome.CORRUPT, artifact,
                Optional.of(verification), runs, Optional.empty(), Optional.empty(), verification.detail());
    }

    private BbrBackupResult failed(ClusterSpec cluster, BbrTarget target, String id, List<BbrRun> runs, String why,
            String output) {
        Optional<String> down = BbrFailure.instanceDown(output);
        if (down.isPresent() && fallback != null && BbrTarget.DEPLOYMENT.equals(target.kind())) {
            String reason = why + "; instance " + down.get() + " is down";
            try {
                EtcdFallback.Taken taken = fallback.snapshot(cluster, reason);
                String message = reason + "; FELL BACK to an etcd snapshot from "
                        + (taken.member() == null ? "a healthy member" : "healthy member " + taken.member())
                        + " (" + taken.reference() + "): " + taken.detail();
                catalog.failed(id, message);
                return new BbrBackupResult(id, cluster.id(), target.kind(), BbrBackupResult.Outcome.FELL_BACK, null,
                        Optional.empty(), runs, down, Optional.of(taken), message);
            } catch (RuntimeException e) {
                String message = reason + "; the etcd snapshot fallback failed too: " + e.getMessage();
                catalog.failed(id, message);
                return new BbrBackupResult(id, cluster.id(), target.kind(), BbrBackupResult.Outcome.FAILED, null,
                        Optional.empty(), runs, down, Optional.empty(), message);
            }
        }
        catalog.failed(id, why);
        return new BbrBackupResult(id, cluster.id(), target.kind(), BbrBackupResult.Outcome.FAILED, null,
                Optional.empty(), runs, down, Optional.empty(), why);
    }

    private static Set<Path> listArtifacts(Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                return new HashSet<>(entries.filter(Files::isDirectory).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list bbr artifacts in " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the partial bbr artifact " + dir, e);
        }
    }
}

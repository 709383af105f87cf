package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.kernel.Poll;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The {@code safety-snapshot} step of a member replace: backup-service's snapshot of the same incident when it has a
 * usable one (waited for a while), else one streamed from a healthy member to
 * {@code <snapshotDir>/<cluster>/<planId>.db}. A member is never touched without one.
 */
final class SafetySnapshot {

    private final ClusterSpec cluster;
    private final MemberSpec target;
    private final String planId;
    private final EtcdAdmin etcd;
    private final EtcdMemberReplacePlan.Settings settings;
    private final EtcdMemberReplacePlan.SafetySource safetySource;
    private final Poll poll;

    /** @param safetySource null: no incident or no catalog, always a local snapshot */
    SafetySnapshot(ClusterSpec cluster, MemberSpec target, String planId, EtcdAdmin etcd,
            EtcdMemberReplacePlan.Settings settings, EtcdMemberReplacePlan.SafetySource safetySource, Poll poll) {
        this.cluster = cluster;
        this.target = target;
        this.planId = planId;
        this.etcd = etcd;
        this.settings = settings;
        this.safetySource = safetySource;
        this.poll = poll;
    }

    Path file() {
        return settings.snapshotDir().resolve(cluster.id()).resolve(planId + ".db");
    }

    Optional<String> alreadyTaken() throws IOException {
        Path file = file();
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return Optional.of("snapshot " + file + " (" + Files.size(file) + " bytes) exists");
        }
        return catalogSnapshot().filter(SnapshotCatalog.IncidentSnapshot::usable).map(SafetySnapshot::describe);
    }

    String take() throws Exception {
        if (safetySource == null) {
            return takeLocalSnapshot();
        }
        // one look more than the wait holds intervals: the first look is at once
        Poll.Outcome<String> waited = poll.until(this::incidentSnapshot,
                safetySource.maxWait().plus(settings.pollInterval()), settings.pollInterval());
        if (waited.held()) {
            return waited.value().get();
        }
        String why = waited.gaveUp() ? waited.last() : "backup-service had no snapshot for incident "
                + safetySource.incidentId() + " after " + safetySource.maxWait().toSeconds() + " s";
        return takeLocalSnapshot() + " (" + why + ")";
    }

    /** backup-service's usable snapshot of the incident; giving up when it cannot be asked or its snapshot failed. */
    private Poll.Look<String> incidentSnapshot() {
        Optional<SnapshotCatalog.IncidentSnapshot> found;
        try {
            found = safetySource.catalog().incidentSnapshot(cluster.id(), safetySource.incidentId());
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return Poll.giveUp("backup-service could not be asked: " + e.getMessage());
        }
        if (found.isPresent() && found.get().usable()) {
            return Poll.done(describe(found.get()));
        }
        if (found.isPresent()) {
            return Poll.giveUp("backup-service's snapshot " + found.get().backupId() + " for this incident is "
                    + found.get().status());
        }
        return Poll.notYet("no snapshot yet");
    }

    private Optional<SnapshotCatalog.IncidentSnapshot> catalogSnapshot() {
        if (safetySource == null) {
            return Optional.empty();
        }
        try {
            return safetySource.catalog().incidentSnapshot(cluster.id(), safetySource.incidentId());
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return Optional.empty();
        }
    }

    private static String describe(SnapshotCatalog.IncidentSnapshot snapshot) {
        return "backup-service snapshot " + snapshot.backupId() + " (" + snapshot.status() + ", revision "
                + snapshot.revision() + ", " + snapshot.keyCount() + " keys, from " + snapshot.member() + ")";
    }

    private String takeLocalSnapshot() throws IOException {
        MemberSpec source = healthySource();
        Path file = file();
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.deleteIfExists(part);
        long bytes = etcd.snapshot(source.clientUrl(), part);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return bytes + " bytes from " + source.name() + " to " + file;
    }

    void verify() throws IOException {
        Path file = file();
        boolean local = Files.isRegularFile(file) && Files.size(file) > 0;
        if (!local && catalogSnapshot().filter(SnapshotCatalog.IncidentSnapshot::usable).isEmpty()) {
            throw new IllegalStateException("no safety snapshot: " + file + " is missing or empty and backup-service "
                    + "lists none for this incident");
        }
    }

    private MemberSpec healthySource() {
        for (MemberSpec member : cluster.members()) {
            if (member.name().equals(target.name())) {
                continue;
            }
            Optional<MemberStatus> status = etcd.status(member.clientUrl());
            if (status.isPresent() && status.get().hasLeader()) {
                return member;
            }
        }
        throw new IllegalStateException("no healthy member to take a snapshot from");
    }
}

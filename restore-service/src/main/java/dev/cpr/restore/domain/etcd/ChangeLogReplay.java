package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The point-in-time steps of a quorum restore with a target revision: the change log after the snapshot fetched and
 * checked before anything stops ({@code fetch-change-log}), replayed into the restored cluster
 * ({@code replay-changes}), and the result read back ({@code verify-point}). A plan without a target skips all three.
 * <p>
 * Files, beside the snapshot's download: {@code <snapshot-dir>/<cluster>/<plan>-changes/} holds each segment as
 * {@code <first>-<last>.seg} (renamed into place only after its sha256 matched the listing), {@code after-target.txt}
 * (what the log holds after the target, for the report) and, written last, {@code segments.txt}: the listing the
 * replay uses, so nothing after {@code fetch-change-log} needs backup-service. {@code replayed.txt} marks a finished
 * replay.
 */
final class ChangeLogReplay {

    static final String NO_TARGET = "no target revision: the plan restores the snapshot only";

    private final ClusterSpec cluster;
    private final String planId;
    private final SnapshotRef snapshot;
    private final Long target;
    private final ChangeLogSource source;
    private final ChangeReplay replay;
    private final EtcdAdmin etcd;
    private final EtcdQuorumRestorePlan.Settings settings;
    private final SnapshotDownload download;

    ChangeLogReplay(ClusterSpec cluster, String planId, SnapshotRef snapshot, EtcdQuorumRestorePlan.PointInTime point,
            EtcdAdmin etcd, EtcdQuorumRestorePlan.Settings settings, SnapshotDownload download) {
        this.cluster = cluster;
        this.planId = planId;
        this.snapshot = snapshot;
        this.target = point == null ? null : point.targetRevision();
        this.source = point == null ? null : point.changeLog();
        this.replay = point == null ? null : point.replay();
        this.etcd = etcd;
        this.settings = settings;
        this.download = download;
    }

    /** Where the change log is kept: {@code <snapshot-dir>/<cluster>/<plan>-changes/}. */
    Path dir() {
        return download.file().resolveSibling(planId + "-changes");
    }

    private Path listing() {
        return dir().resolve("segments.txt");
    }

    private Path afterTarget() {
        return dir().resolve("after-target.txt");
    }

    private Path replayedMarker() {
        return dir().resolve("replayed.txt");
    }

    private Path file(ReplayPlan.SegmentRef segment) {
        return dir().resolve(segment.firstRevision() + "-" + segment.lastRevision() + ".seg");
    }

    // fetch-change-log

    Optional<String> fetched() throws IOException {
        if (target == null) {
            return StepSpec.notNeeded(NO_TARGET);
        }
        if (Files.isRegularFile(listing())) {
            return Optional.of(storedPlan().describe() + " were downloaded and checked into " + dir());
        }
        return Optional.empty();
    }

    String fetch() throws IOException {
        ChangeLogSource log = requiredSource();
        long snapshotRevision = EtcdQuorumRestorePlan.required(snapshot).revision();
        ReplayPlan plan = replayPlan(log.segments(cluster.id(), snapshotRevision, target));
        Files.createDirectories(dir());
        int downloaded = 0;
        int kept = 0;
        long bytes = 0;
        for (ReplayPlan.SegmentRef segment : plan.segments()) {
            Path file = file(segment);
            if (Files.isRegularFile(file) && Sha256.hex(file).equalsIgnoreCase(segment.sha256())) {
                kept++;
                continue;
            }
            byte[] data = log.segment(cluster.id(), segment.id());
            String actual = Sha256.hex(data);
            if (!actual.equalsIgnoreCase(segment.sha256())) {
                throw new StepSpec.FatalStepException("sha256 of change log " + segment + " of " + cluster.id() + " is "
                        + actual + " but backup-service's listing says " + segment.sha256()
                        + ": refused, nothing was stopped or changed");
            }
            writeAtomically(file, data);
            downloaded++;
            bytes += data.length;
        }
        String after = describeAfterTarget(log, plan);
        writeAtomically(afterTarget(), after.getBytes(StandardCharsets.UTF_8));
        writeAtomically(listing(), listingText(plan.segments()).getBytes(StandardCharsets.UTF_8));
        return String.format("%s: downloaded %d of %d segments (%d bytes; %d here already), each sha256 matching "
                + "backup-service's listing -> %s; %s", plan.describe(), downloaded, plan.segments().size(), bytes, kept,
                dir(), after);
    }

    void verifyFetched() throws IOException {
        for (ReplayPlan.SegmentRef segment : storedPlan().segments()) {
            if (!Files.isRegularFile(file(segment))) {
                throw new IllegalStateException(file(segment) + " is missing after the download");
            }
        }
    }

    /** What the change log holds after the target: the changes a restore to the target leaves out. */
    private String describeAfterTarget(ChangeLogSource log, ReplayPlan plan) throws IOException {
        List<ReplayPlan.SegmentRef> later;
        try {
            later = log.segments(cluster.id(), target, Long.MAX_VALUE);
        } catch (ChangeLogSource.ChangeLogUnavailable e) {
            return "not applied: the changes after revision " + target + " (not counted: " + e.getMessage() + ")";
        }
        long changes = 0;
        long last = target;
        for (ReplayPlan.SegmentRef segment : later) {
            if (segment.lastRevision() <= target) {
                continue;
            }
            last = Math.max(last, segment.lastRevision());
            if (segment.firstRevision() > target) {
                changes += segment.count();
                continue;
            }
            byte[] data = plan.segments().contains(segment) ? Files.readAllBytes(file(segment))
                    : log.segment(cluster.id(), segment.id());
            try {
                changes += SegmentCodec.decode(data, segment.sha256()).changes().stream()
                        .filter(c -> c.revision() > target).count();
            } catch (CorruptSegmentException e) {
                return "not applied: the changes after revision " + target + " (not counted: " + segment + " is "
                        + "corrupt: " + e.getMessage() + ")";
            }
        }
        if (changes == 0) {
            return "not applied: nothing, the change log holds no change after revision " + target;
        }
        return "not applied: " + changes + " changes after the target, in revisions " + (target + 1) + ".." + last;
    }

    // replay-changes

    Optional<String> replayed() throws IOException {
        if (target == null) {
            return StepSpec.notNeeded(NO_TARGET);
        }
        if (Files.isRegularFile(replayedMarker())) {
            return Optional.of(Files.readString(replayedMarker()));
        }
        return Optional.empty();
    }

    String replay() throws IOException {
        ChangeReplay replayer = requiredReplay();
        ReplayPlan plan = storedPlan();
        List<ReplayPlan.Revision> revisions = revisions(plan);
        long start = startRevision(plan);
        ChangeReplay.Replayed done = replayer.replay(cluster, start, revisions);
        String output = String.format("replayed revisions %d..%d of the change log into %s from cluster revision %d: "
                + "%d transactions now (%d found applied already), %d changes, %d keys put without their source lease; "
                + "cluster at revision %d", plan.snapshotRevision() + 1, target, cluster.id(), start, done.applied(),
                done.resumedAfter(), done.changes(), done.leaseDetached(), done.endRevision());
        writeAtomically(replayedMarker(), output.getBytes(StandardCharsets.UTF_8));
        return output;
    }

    /**
     * The revision the restored cluster started at: the snapshot's, or that plus the bump when the restore bumped it
     * (etcd 3.5.8+). A cluster at or past the snapshot's revision plus the bump was bumped: a replay (one revision per
     * original) never comes near the bump, which the recovery guide sets above any count of writes since a snapshot.
     */
    private long startRevision(ReplayPlan plan) {
        long now = etcd.keyspace(cluster).revision();
        long bump = settings.bumpRevision();
        return bump > 0 && now >= plan.snapshotRevision() + bump ? plan.snapshotRevision() + bump
                : plan.snapshotRevision();
    }

    // verify-point

    Optional<String> noPoint() {
        return target == null ? StepSpec.notNeeded(NO_TARGET) : Optional.empty();
    }

    String verifyPoint() throws IOException {
        ChangeReplay replayer = requiredReplay();
        ReplayPlan plan = storedPlan();
        List<Change> expected = ReplayPlan.lastChangeOfEachKey(revisions(plan));
        List<String> differ = replayer.differences(cluster, expected);
        if (!differ.isEmpty()) {
            throw new StepSpec.FatalStepException(differ.size() + " of the " + expected.size() + " replayed keys of "
                    + cluster.id() + " differ from the source at revision " + target + ": "
                    + differ.subList(0, Math.min(10, differ.size())) + (differ.size() > 10 ? " ..." : ""));
        }
        long bump = startRevision(plan) - plan.snapshotRevision();
        long revision = etcd.keyspace(cluster).revision();
        if (revision != target + bump) {
            throw new StepSpec.FatalStepException(cluster.id() + " is at revision " + revision + ", not " + (target
                    + bump) + " (target " + target + (bump > 0 ? " plus the restore's bump " + bump : "") + "): the "
                    + "replay did not end where the source was");
        }
        SnapshotRef ref = EtcdQuorumRestorePlan.required(snapshot);
        return String.format("%s restored to revision %d%s: snapshot %s at revision %d, then %d revisions replayed; "
                + "the %d keys they change read back as the source held them; %s", cluster.id(), target,
                bump > 0 ? " (cluster revision " + revision + ": the target plus the restore's bump " + bump + ")"
                        : ", the cluster's revision exactly", ref.id(), plan.snapshotRevision(), plan.revisionCount(),
                expected.size(), Files.readString(afterTarget()));
    }

    // shared

    private ReplayPlan replayPlan(List<ReplayPlan.SegmentRef> listed) {
        long snapshotRevision = EtcdQuorumRestorePlan.required(snapshot).revision();
        try {
            return ReplayPlan.of(snapshotRevision, target, listed);
        } catch (ReplayPlan.Refused e) {
            throw new StepSpec.FatalStepException("the change log of " + cluster.id() + " cannot bring snapshot "
                    + snapshot.id() + " (revision " + snapshotRevision + ") to revision " + target + ": "
                    + e.getMessage() + "; refused, nothing was stopped or changed");
        }
    }

    /** The plan from the listing {@code fetch-change-log} stored (no call to backup-service). */
    private ReplayPlan storedPlan() throws IOException {
        if (!Files.isRegularFile(listing())) {
            throw new StepSpec.FatalStepException("the change log of " + cluster.id() + " was not fetched: "
                    + listing() + " is missing (fetch-change-log writes it)");
        }
        List<ReplayPlan.SegmentRef> refs = new ArrayList<>();
        for (String line : Files.readAllLines(listing())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(" ");
            refs.add(new ReplayPlan.SegmentRef(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), f[4]));
        }
        return replayPlan(refs);
    }

    private static String listingText(List<ReplayPlan.SegmentRef> segments) {
        StringBuilder text = new StringBuilder();
        for (ReplayPlan.SegmentRef s : segments) {
            text.append(s.id()).append(' ').append(s.firstRevision()).append(' ').append(s.lastRevision()).append(' ')
                    .append(s.count()).append(' ').append(s.sha256()).append('\n');
        }
        return text.toString();
    }

    private List<ReplayPlan.Revision> revisions(ReplayPlan plan) {
        try {
            return plan.revisions(segment -> {
                try {
                    return Files.readAllBytes(file(segment));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (CorruptSegmentException e) {
            throw new StepSpec.FatalStepException("a downloaded change log segment of " + cluster.id()
                    + " is not what backup-service stored: " + e.getMessage());
        }
    }

    private ChangeLogSource requiredSource() {
        if (source == null) {
            throw new StepSpec.FatalStepException("the plan restores " + cluster.id() + " to revision " + target
                    + " but restore-service has no change log source (cpr.restore.backup-service-url)");
        }
        return source;
    }

    private ChangeReplay requiredReplay() {
        if (replay == null) {
            throw new StepSpec.FatalStepException("the plan restores " + cluster.id() + " to revision " + target
                    + " but restore-service has no change replayer");
        }
        return replay;
    }

    private static void writeAtomically(Path file, byte[] data) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.write(part, data);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

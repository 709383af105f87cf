package dev.cpr.backup.domain.snapshot;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Takes one v3 snapshot of a cluster:
 * <ol>
 *   <li>pick the first member (inventory order) that answers a probe; members that do not are skipped;</li>
 *   <li>stream its snapshot through etcd's trailing-hash check, optional compression and a sha256 of the
 *       stored bytes, straight into a temporary artifact (never held whole in memory);</li>
 *   <li>probe the member again, so a write that raced the stream is known;</li>
 *   <li>commit the artifact under its final name only when all of that succeeded.</li>
 * </ol>
 * Any failure after the member was chosen discards the temporary artifact and throws
 * {@link SnapshotFailedException}; there is no retry on another member once streaming began, since
 * the caller must record the failure.
 */
public final class SnapshotTaker {

    private final SnapshotSource source;
    private final ArtifactStore store;
    private final Clock clock;

    public SnapshotTaker(SnapshotSource source, ArtifactStore store, Clock clock) {
        this.source = Objects.requireNonNull(source);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * @param fileName       the artifact's final name without extension
     * @param onMemberChosen told which member the snapshot streams from, before streaming starts
     */
    public TakenSnapshot take(ClusterSpec cluster, String fileName, Compression compression,
            Consumer<String> onMemberChosen) {
        List<String> skipped = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            MemberState before;
            try {
                before = source.probe(cluster, member);
            } catch (SnapshotSource.MemberUnavailableException e) {
                skipped.add(member.name() + " (" + e.getMessage() + ")");
                continue;
            }
            onMemberChosen.accept(member.name());
            return streamFrom(cluster, member, before, fileName + compression.extension(), compression);
        }
        throw new SnapshotFailedException("no member of cluster " + cluster.id() + " answered: "
                + String.join(", ", skipped), null, null);
    }

    private TakenSnapshot streamFrom(ClusterSpec cluster, MemberSpec member, MemberState before, String fileName,
            Compression compression) {
        Instant start = clock.instant();
        try (ArtifactStore.PendingArtifact pending = store.begin(cluster.id(), fileName)) {
            Sha256OutputStream stored = null;
            SnapshotDigestStream snapshot;
            try (OutputStream file = pending.output()) {
                // uncompressed, the stored bytes ARE the snapshot: one digest pass gives both hashes
                OutputStream sink = compression == Compression.NONE ? file
                        : compression.compress(stored = new Sha256OutputStream(file));
                snapshot = new SnapshotDigestStream(sink);
                source.stream(cluster, member, snapshot);
                sink.close();
            }
            TrailerCheck check = snapshot.finish();
            if (!check.valid()) {
                throw new SnapshotFailedException("snapshot from " + member.name() + " failed its check: "
                        + check.detail(), member.name(), null);
            }
            long size = stored != null ? stored.count() : snapshot.count();
            String sha256 = stored != null ? stored.hex() : snapshot.wholeSha256();
            Instant streamed = clock.instant();
            MemberState after = probeAfter(cluster, member);
            Instant probed = clock.instant();
            String location = pending.commit();
            Instant committed = clock.instant();
            return new TakenSnapshot(member.name(), location, compression, size, snapshot.count(), sha256, before, after,
                    Duration.between(start, committed), new TakenSnapshot.Phases(Duration.between(start, streamed),
                            Duration.between(streamed, probed), Duration.between(probed, committed)));
        } catch (SnapshotFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SnapshotFailedException("snapshot from " + member.name() + " broke off: " + e, member.name(), e);
        }
    }

    /** Null when the member stopped answering right after a complete snapshot: the drill then settles the revision. */
    private MemberState probeAfter(ClusterSpec cluster, MemberSpec member) {
        try {
            return source.probe(cluster, member);
        } catch (SnapshotSource.MemberUnavailableException e) {
            return null;
        }
    }
}

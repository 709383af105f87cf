package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.SegmentRoller;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Records one cluster's changes from a given revision on: the watch's changes go into the open segment, and a
 * closed segment is written to the artifact store and then recorded in the catalog together with the cluster's
 * last durable revision. Only a recorded segment counts: a change still in the open segment when the process dies
 * is read again from etcd by the next recorder, which starts after the last durable revision. Any failure ends
 * this recorder ({@link #state()}); its owner starts a new one from what is durable.
 *
 * <p>Everything but {@link #state()} runs on the recorder's own thread, in order, so the watch's threads never
 * block on the store or the database.
 */
public final class ChangeRecorder {

    private static final Logger LOG = Logger.getLogger(ChangeRecorder.class);

    public enum State { RECORDING, COMPACTED, BROKEN, STOPPED }

    /** What the owner hears of (metrics, the snapshot a compaction asks for). */
    public interface Outcomes {
        void stored(StoredSegment segment);

        void compacted(String clusterId, long compactRevision);

        void broke(String clusterId, String what);
    }

    /** Segment limits: closed at {@code maxChanges} changes or {@code maxAge} after its first change. */
    public record Limits(int maxChanges, Duration maxAge) {
    }

    private final ClusterSpec cluster;
    private final ChangeFeed feed;
    private final ArtifactStore store;
    private final ChangeLogCatalog catalog;
    private final Limits limits;
    private final Clock clock;
    private final Outcomes outcomes;
    private final ScheduledExecutorService worker;
    private volatile State state = State.RECORDING;
    private volatile long compactRevision;
    private SegmentRoller roller;
    private ChangeFeed.Watching watching;

    public ChangeRecorder(ClusterSpec cluster, ChangeFeed feed, ArtifactStore store, ChangeLogCatalog catalog,
            Limits limits, Clock clock, Outcomes outcomes) {
        this.cluster = cluster;
        this.feed = feed;
        this.store = store;
        this.catalog = catalog;
        this.limits = limits;
        this.clock = clock;
        this.outcomes = outcomes;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cpr-changelog-" + cluster.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching the revisions after {@code after} (the last durable one, or the snapshot's own). */
    public void start(long after) {
        worker.execute(() -> {
            roller = new SegmentRoller(cluster.id(), limits.maxChanges(), limits.maxAge(), after);
            LOG.infof("cluster %s: recording changes from revision %d", cluster.id(), after + 1);
            try {
                watching = feed.watch(cluster, after + 1, new FeedListener());
            } catch (RuntimeException e) {
                end(State.BROKEN, "the watch from revision " + (after + 1) + " could not start: " + e.getMessage(), e);
            }
        });
        // a segment closes within a tenth of its age limit
        long tick = Math.max(10, limits.maxAge().toMillis() / 10);
        worker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Closes the open segment if it is old enough. */
    private void tick() {
        if (state == State.RECORDING && roller != null) {
            try {
                roller.tick(clock.instant()).ifPresent(this::keep);
            } catch (RuntimeException e) {
                end(State.BROKEN, e.getMessage(), e);
            }
        }
    }

    public State state() {
        return state;
    }

    /** The revision etcd had compacted to when the watch was refused, once {@link State#COMPACTED}. */
    public long compactRevision() {
        return compactRevision;
    }

    /** Stops the watch; the open segment is dropped (its changes are read again by the next recorder). */
    public void stop() {
        try {
            worker.execute(() -> {
                if (state == State.RECORDING) {
                    state = State.STOPPED;
                }
                closeWatch();
            });
        } catch (RejectedExecutionException e) {
            return; // stopped already
        }
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void keep(SegmentCodec.Encoded encoded) {
        Segment segment = encoded.segment();
        String fileName = segment.fileName().replace(".cprlog", "-" + segment.closedAt().toEpochMilli() + ".cprlog");
        String location;
        try (ArtifactStore.PendingArtifact pending = store.begin(cluster.id(), fileName)) {
            try (OutputStream out = pending.output()) {
                out.write(encoded.bytes());
            }
            location = pending.commit();
        } catch (IOException | RuntimeException e) {
            end(State.BROKEN, segment + " could not be stored: " + e.getMessage(), e);
            return;
        }
        try {
            catalog.recorded(segment, location, encoded.bytes().length);
        } catch (RuntimeException e) {
            ArtifactCleanup.deleteQuietly(store, location);
            end(State.BROKEN, segment + " could not be cataloged: " + e.getMessage(), e);
            return;
        }
        outcomes.stored(new StoredSegment(segment, location, encoded.bytes().length));
    }

    private void run(Runnable step) {
        if (state != State.RECORDING || worker.isShutdown()) {
            return;
        }
        try {
            worker.execute(() -> {
                if (state != State.RECORDING) {
                    return;
                }
                try {
                    step.run();
                } catch (RuntimeException e) {
                    end(State.BROKEN, e.getMessage(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopped meanwhile: nothing to do
        }
    }

    /** Ends the recorder: logged here once, with the cluster and what went wrong. */
    private void end(State how, String what, Throwable cause) {
        if (state != State.RECORDING) {
            return;
        }
        state = how;
        closeWatch();
        if (how == State.BROKEN) {
            LOG.errorf(cause, "cluster %s: change log stopped after revision %d: %s", cluster.id(),
                    roller == null ? -1 : roller.lastRevision(), what);
            outcomes.broke(cluster.id(), what);
        }
    }

    private void closeWatch() {
        if (watching != null) {
            try {
                watching.close();
            } catch (RuntimeException e) {
                LOG.debugf(e, "cluster %s: closing the watch", cluster.id());
            }
            watching = null;
        }
    }

    private final class FeedListener implements ChangeFeed.Listener {

        @Override
        public void changes(List<Change> changes) {
            run(() -> roller.append(changes, clock.instant()).ifPresent(ChangeRecorder.this::keep));
        }

        @Override
        public void compacted(long revision) {
            run(() -> {
                compactRevision = revision;
                long wanted = roller.lastRevision() + 1;
                state = State.COMPACTED;
                closeWatch();
                LOG.errorf("cluster %s: the change log fell behind a compaction: revision %d is wanted, etcd compacted "
                        + "to %d; the changes between are gone and a new full snapshot is needed", cluster.id(), wanted,
                        revision);
                outcomes.compacted(cluster.id(), revision);
            });
        }

        @Override
        public void failed(Throwable cause) {
            run(() -> end(State.BROKEN, "the watch ended: " + cause, cause));
        }
    }
}

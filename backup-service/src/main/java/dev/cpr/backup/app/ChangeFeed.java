package dev.cpr.backup.app;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.List;

/** A watch of a cluster's whole keyspace from a given revision on (etcd's watch, in the service). */
public interface ChangeFeed {

    /**
     * Starts watching; the listener is called on the feed's threads, one call at a time, in revision order.
     *
     * @param fromRevision the first revision to deliver
     * @return what stops the watch
     */
    Watching watch(ClusterSpec cluster, long fromRevision, Listener listener);

    /**
     * Which etcd cluster answers now and at which revision: a restore (from a snapshot, by bbr, or a survivor's data)
     * gives a new etcd cluster id or a revision behind what the log holds.
     *
     * @throws RuntimeException when no member answers
     */
    Identity identity(ClusterSpec cluster);

    /** @param etcdClusterId the id etcd puts in every response header; new after every restore */
    record Identity(long etcdClusterId, long revision) {
    }

    interface Watching extends AutoCloseable {
        @Override
        void close();
    }

    interface Listener {
        /** The changes of one or more whole revisions (a transaction is never split across calls). */
        void changes(List<Change> changes);

        /** etcd compacted past the revision asked for: the watch is over, and what it missed is gone. */
        void compacted(long compactRevision);

        /** The watch ended for another reason (it is over). */
        void failed(Throwable cause);
    }
}

package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The etcd operations a plan needs. Every call is blocking and bounded by the adapter's timeout;
 * failures are thrown as {@link EtcdAdminException} with etcd's own message (e.g.
 * {@code etcdserver: unhealthy cluster}).
 */
public interface EtcdAdmin {

    /** The member list, as any reachable member of the cluster reports it. */
    List<EtcdMember> members(ClusterSpec cluster);

    void removeMember(ClusterSpec cluster, long memberId);

    /** Adds a voting member with this peer URL; returns the new entry (not started yet). */
    EtcdMember addMember(ClusterSpec cluster, String peerUrl);

    /** The status of the member serving this client URL; empty if it does not answer in time. */
    Optional<MemberStatus> status(String clientUrl);

    /** The etcd release of the member serving this client URL ({@code version} of its status); empty if it does not answer. */
    default Optional<String> version(String clientUrl) {
        return Optional.empty();
    }

    /**
     * The cluster version the member at this client URL reports ({@code etcdcluster} of {@code /version}), or
     * {@code "not_decided"} while a new cluster's leader has not set it yet; empty if it does not answer or cannot be
     * read. etcd refuses a member joining while it is {@code not_decided} ("incompatible with current running
     * cluster") and that member exits.
     */
    default Optional<String> clusterVersion(String clientUrl) {
        return Optional.empty();
    }

    /** Streams a snapshot from the member at this client URL into {@code target}; returns its size in bytes. */
    long snapshot(String clientUrl, Path target);

    /** How many keys the whole keyspace holds and at which revision (a linearizable count-only range). */
    Keyspace keyspace(ClusterSpec cluster);

    /**
     * Puts every key of a v2 keyspace export ({@code GET /v2/keys/?recursive=true} JSON) into the member at this
     * client URL over the v2 API (the member must run with {@code --enable-v2}); returns the leaf keys put.
     */
    default long putV2(String clientUrl, Path export) {
        throw new UnsupportedOperationException("v2 keyspace restore is not implemented by " + getClass().getSimpleName());
    }

    /** Leaf keys in the v2 keyspace of the member at this client URL. */
    default long countV2(String clientUrl) {
        throw new UnsupportedOperationException("v2 keyspace count is not implemented by " + getClass().getSimpleName());
    }

    /** The database space of the member at this client URL (its status); empty if it does not answer in time. */
    default Optional<MemberSpace> space(String clientUrl) {
        throw new UnsupportedOperationException("space is not implemented by " + getClass().getSimpleName());
    }

    /**
     * Compacts the cluster's history before {@code revision} and waits until the compaction reached the backend
     * (physical), so a defragmentation after it reclaims the space.
     */
    default void compact(ClusterSpec cluster, long revision) {
        throw new UnsupportedOperationException("compact is not implemented by " + getClass().getSimpleName());
    }

    /** Defragments the member at this client URL (it blocks that member while it runs); returns when it is done. */
    default void defragment(String clientUrl) {
        throw new UnsupportedOperationException("defragment is not implemented by " + getClass().getSimpleName());
    }

    /** The alarms raised in the cluster. */
    default List<Alarm> alarms(ClusterSpec cluster) {
        throw new UnsupportedOperationException("alarms are not implemented by " + getClass().getSimpleName());
    }

    /** Disarms one alarm. */
    default void disarm(ClusterSpec cluster, Alarm alarm) {
        throw new UnsupportedOperationException("disarm is not implemented by " + getClass().getSimpleName());
    }

    /** Puts {@code key} and deletes it again: proves the cluster takes writes, and leaves the keyspace as it was. */
    default void putAndDelete(ClusterSpec cluster, String key) {
        throw new UnsupportedOperationException("putAndDelete is not implemented by " + getClass().getSimpleName());
    }

    /** The {@code --quota-backend-bytes} the member at this client URL runs with (its metrics); empty if unknown. */
    default Optional<Long> quotaBytes(String clientUrl) {
        return Optional.empty();
    }

    /**
     * etcd's {@code HashKV} of the cluster at {@code revision}, from the first member that answers: a hash of every key
     * revision up to it and of what a compaction kept below its compact revision (lease ids included). Empty when the
     * member has compacted past {@code revision}.
     */
    default Optional<KeyspaceHash> hashKv(ClusterSpec cluster, long revision) {
        throw new UnsupportedOperationException("hashKv is not implemented by " + getClass().getSimpleName());
    }

    record Keyspace(long keyCount, long revision) {
    }

    /**
     * @param hash            the unsigned 32-bit CRC etcd answers
     * @param compactRevision the member's compact revision (0 or less: never compacted)
     */
    record KeyspaceHash(long revision, long hash, long compactRevision) {
    }

    /**
     * @param dbSize      the database file's size in bytes
     * @param dbSizeInUse the bytes of it in use (the rest is free pages a defragmentation gives back)
     * @param leader      this member is the raft leader
     */
    record MemberSpace(String clientUrl, long dbSize, long dbSizeInUse, boolean leader) {
    }

    /** An alarm: its type ({@code NOSPACE}, {@code CORRUPT}) and the member it was raised on. */
    record Alarm(long memberId, String type) {
    }

    class EtcdAdminException extends RuntimeException {
        public EtcdAdminException(String message, Throwable cause) {
            super(message, cause);
        }

        public EtcdAdminException(String message) {
            super(message);
        }
    }
}

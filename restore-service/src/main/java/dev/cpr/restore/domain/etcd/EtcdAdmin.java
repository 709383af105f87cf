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

    record Keyspace(long keyCount, long revision) {
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

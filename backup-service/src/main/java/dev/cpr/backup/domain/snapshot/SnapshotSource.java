package dev.cpr.backup.domain.snapshot;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.OutputStream;

/** One etcd member, asked directly (never through a load balancer over the whole cluster). */
public interface SnapshotSource {

    /**
     * The member's revision and key count, read from that member only.
     *
     * @throws MemberUnavailableException when the member does not answer in time
     */
    MemberState probe(ClusterSpec cluster, MemberSpec member);

    /**
     * Streams the member's v3 snapshot into {@code out} as it arrives; returns once the last byte was written.
     *
     * @throws SnapshotFailedException when the stream breaks (member killed, timeout, write error)
     */
    void stream(ClusterSpec cluster, MemberSpec member, OutputStream out);

    /** The member could not be reached; another one may be. */
    final class MemberUnavailableException extends RuntimeException {
        public MemberUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

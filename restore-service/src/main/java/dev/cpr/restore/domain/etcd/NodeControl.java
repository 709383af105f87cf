package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reaching the node an etcd member runs on: is its process up, stop it, wipe its data dir, start it.
 * {@code LocalNodeControl} does it for {@code access: local}; ssh and BOSH implementations come later.
 * <p>
 * The quorum restore needs more of a node: start a member as part of a NEW cluster with a new token,
 * run a command there ({@code etcdctl snapshot restore}, post-restore hooks), move and delete
 * directories, and make the snapshot file available on the node. Those are default methods that refuse
 * with a clear message, so an adapter that does not support them yet still compiles and says why a
 * restore cannot run on its members.
 */
public interface NodeControl {

    /** How a member starts: forming a new cluster (after a restore) or joining an existing one. */
    enum ClusterState { NEW, EXISTING }

    /** What a command run on a node did. */
    record CommandOutcome(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    boolean isRunning(MemberSpec member);

    void stop(MemberSpec member) throws IOException;

    /** True while the member's data directory exists. */
    boolean hasData(MemberSpec member);

    void wipe(MemberSpec member) throws IOException;

    /** Starts the member joining an existing cluster ({@code --initial-cluster-state=existing}). */
    void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException;

    /**
     * Starts the member with this {@code --initial-cluster-state} and {@code --initial-cluster-token}.
     * The default handles only what {@link #start(ClusterSpec, MemberSpec, String)} can: joining an
     * existing cluster under the cluster's own token.
     */
    default void start(ClusterSpec cluster, MemberSpec member, String initialCluster, ClusterState state,
            String token) throws IOException {
        if (state == ClusterState.EXISTING && cluster.token().equals(token)) {
            start(cluster, member, initialCluster);
            return;
        }
        throw unsupported(member, "start a member as part of a new cluster (after a restore)");
    }

    /**
     * Runs {@code argv} on the member's node and waits for it (at most {@code timeout}); output is stdout and
     * stderr together.
     */
    default CommandOutcome exec(MemberSpec member, List<String> argv, Duration timeout) throws IOException {
        throw unsupported(member, "run commands on the node");
    }

    /** Whether a file or directory exists on the member's node. */
    default boolean exists(MemberSpec member, String path) throws IOException {
        throw unsupported(member, "look at files on the node");
    }

    /** Renames a file or directory on the member's node (same file system). */
    default void move(MemberSpec member, String from, String to) throws IOException {
        throw unsupported(member, "move directories on the node");
    }

    /** Deletes a file or a directory tree on the member's node (nothing if it does not exist). */
    default void delete(MemberSpec member, String path) throws IOException {
        throw unsupported(member, "delete files on the node");
    }

    /** Creates an empty file (or updates its time) on the member's node. */
    default void touch(MemberSpec member, String path) throws IOException {
        throw unsupported(member, "write files on the node");
    }

    /**
     * Makes a local file (the downloaded snapshot) available on the member's node; returns its path there.
     * A local member reads it where it is.
     */
    default String stage(MemberSpec member, Path localFile) throws IOException {
        throw unsupported(member, "copy the snapshot to the node");
    }

    private UnsupportedOperationException unsupported(MemberSpec member, String what) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " cannot " + what + " of member "
                + member.name() + " yet");
    }
}

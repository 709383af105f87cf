package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.IOException;

/**
 * Reaching the node an etcd member runs on: is its process up, stop it, wipe its data dir, start it.
 * {@code LocalNodeControl} does it for {@code access: local}; ssh and BOSH implementations come later.
 */
public interface NodeControl {

    boolean isRunning(MemberSpec member);

    void stop(MemberSpec member) throws IOException;

    /** True while the member's data directory exists. */
    boolean hasData(MemberSpec member);

    void wipe(MemberSpec member) throws IOException;

    /** Starts the member joining an existing cluster ({@code --initial-cluster-state=existing}). */
    void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException;
}

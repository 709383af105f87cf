package dev.cpr.restore.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a rehearsal's scratch clusters come from and go: local etcd members under the scratch directory, on free
 * loopback ports, and clients that reach only them.
 */
public interface ScratchClusters {

    /**
     * A scratch cluster's spec (see {@link dev.cpr.restore.domain.rehearsal.ScratchCluster}), its directory created, no
     * member started (the plan's restore creates their data, its start-members starts them).
     */
    Scratch create(ClusterSpec source, String scratchId) throws IOException;

    /**
     * Stops every member of the scratch cluster, closes its clients and deletes its directory, whatever state the
     * rehearsal left it in; what could not be removed (empty when nothing is left).
     */
    List<String> tearDown(Scratch scratch);

    /** What the host has free for a scratch cluster now: disk under the scratch directory, and memory. */
    Room room() throws IOException;

    /**
     * @param diskUsableBytes       free under the scratch directory, as its file system reports it
     * @param memoryAvailableBytes  available to this process's container (its limit less what it uses) or host; empty
     *                              when neither can be read
     */
    record Room(long diskUsableBytes, OptionalLong memoryAvailableBytes) {
    }

    /**
     * @param dir    everything of the cluster is under it (data, pid and log files, the downloaded snapshot)
     * @param etcd   clients of the scratch members only
     * @param replay the change-log replayer, reaching the scratch members only
     */
    record Scratch(ClusterSpec spec, Path dir, EtcdAdmin etcd, ChangeReplay replay) {
    }
}

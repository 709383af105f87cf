package dev.cpr.backup.domain.drill;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a restore drill runs for a cluster's etcd release; the version rule itself is {@link EtcdTools}
 * ({@code etcdctl snapshot restore} on 3.4, {@code etcdutl} from 3.5).
 */
public final class DrillTools {

    private static final String NAME = "drill";
    private static final String TOKEN = "cpr-drill";

    private DrillTools() {
    }

    /**
     * The drill's {@code snapshot restore} into a one-member scratch cluster, with the tool of the drill's own etcd
     * release. Never a revision bump: the drill compares the restored revision with the catalog's.
     */
    public static EtcdTools.Command restore(EtcdVersion drillEtcd, String snapshotFile, String dataDir, String peerUrl) {
        return EtcdTools.restore(drillEtcd, target(snapshotFile, dataDir, peerUrl), 0);
    }

    /** The same with etcdctl, where the release still lets it restore and etcdutl is not there (3.5). */
    public static Optional<EtcdTools.Command> restoreWithEtcdctl(EtcdVersion drillEtcd, String snapshotFile, String dataDir,
            String peerUrl) {
        return EtcdTools.restoreWithEtcdctl(drillEtcd, target(snapshotFile, dataDir, peerUrl), 0);
    }

    private static EtcdTools.RestoreTarget target(String snapshotFile, String dataDir, String peerUrl) {
        return new EtcdTools.RestoreTarget(snapshotFile, NAME, NAME + "=" + peerUrl, TOKEN, peerUrl, dataDir);
    }

    /**
     * Empty when the drill's etcd can stand for the cluster's, else why not: a snapshot of a newer minor release
     * loaded into an older etcd proves nothing about the cluster's own restore.
     */
    public static Optional<String> cannotDrill(EtcdVersion drillEtcd, Optional<EtcdVersion> cluster) {
        if (cluster.isEmpty()) {
            return Optional.empty();
        }
        EtcdVersion c = cluster.get();
        if (drillEtcd.major() < c.major() || (drillEtcd.major() == c.major() && drillEtcd.minor() < c.minor())) {
            return Optional.of("the drill's etcd is " + drillEtcd + ", older than the cluster's " + c + ": install etcd "
                    + c.major() + "." + c.minor() + " for backup-service (cpr.backup.drill.etcd, .etcdutl)");
        }
        return Optional.empty();
    }

    /**
     * Where to look for one of the drill's binaries, best first: beside the cluster's own etcd binaries (absolute
     * paths, e.g. the sandbox's members running on this host), then as configured ({@code tool}: a name on the PATH
     * or a path).
     */
    public static List<String> candidates(String toolName, String configured, List<String> memberEtcdBinaries) {
        List<String> candidates = new ArrayList<>();
        for (String etcd : memberEtcdBinaries) {
            if (etcd != null && etcd.startsWith("/")) {
                String beside = etcd.substring(0, etcd.lastIndexOf('/') + 1) + toolName;
                if (!candidates.contains(beside)) {
                    candidates.add(beside);
                }
            }
        }
        candidates.add(configured);
        return candidates;
    }
}

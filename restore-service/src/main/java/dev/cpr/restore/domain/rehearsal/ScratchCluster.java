package dev.cpr.restore.domain.rehearsal;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The spec of a rehearsal's scratch cluster: as many members as the real one, named as its members are (the restore's
 * {@code --name} and {@code --initial-cluster} then read the same), local processes on other loopback ports, their
 * data, pid and log files under the scratch directory, a cluster id of its own. When each scratch member runs its
 * real member's own local launcher, the client TLS material and URL scheme are the real cluster's (the scratch members
 * then serve the same member certificates, issued for the loopback address); otherwise the scratch cluster serves
 * plain HTTP on loopback. Nothing of it may name anything of a real cluster: {@link #sharedWith} says what would.
 */
public final class ScratchCluster {

    private ScratchCluster() {
    }

    /** {@code <cluster>-rehearsal-<first 8 characters of the rehearsal id>}. */
    public static String id(String clusterId, String rehearsalId) {
        return clusterId + "-rehearsal-" + rehearsalId.substring(0, Math.min(8, rehearsalId.length()));
    }

    /**
     * @param ports        two free loopback ports per member (client, peer), in member order
     * @param etcdBinaries the etcd (or launcher) each member runs, in member order
     */
    public static ClusterSpec of(ClusterSpec source, String scratchId, Path dir, List<Integer> ports,
            List<String> etcdBinaries) {
        int size = source.members().size();
        if (ports.size() != 2 * size || etcdBinaries.size() != size) {
            throw new IllegalArgumentException("a scratch cluster of " + size + " members needs " + 2 * size
                    + " ports and " + size + " etcd binaries, not " + ports.size() + " and " + etcdBinaries.size());
        }
        boolean tls = source.members().get(0).clientUrl().startsWith("https") && runOwnLaunchers(source, etcdBinaries);
        String scheme = tls ? "https" : "http";
        List<MemberSpec> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String name = source.members().get(i).name();
            String data = dir.resolve(name).toAbsolutePath().toString();
            members.add(new MemberSpec(name, scheme + "://127.0.0.1:" + ports.get(2 * i),
                    scheme + "://127.0.0.1:" + ports.get(2 * i + 1), data,
                    NodeAccess.local(etcdBinaries.get(i), data + ".pid", data + ".log")));
        }
        // no post-restore hooks, no BOSH, no backup policy: the scratch cluster is nobody's control plane
        return new ClusterSpec(scratchId, ClusterKind.ETCD, scratchId, tls ? source.tls() : null, members,
                source.policy());
    }

    /**
     * Whether every scratch member runs its real member's own local etcd or launcher, which brings the member's server
     * certificate along (the sandbox's {@code etcd-N-with-tls}). A plain etcd for a remote member has no certificate
     * for 127.0.0.1, and cpr has none to give it: such scratch clusters serve plain HTTP, on loopback only.
     */
    private static boolean runOwnLaunchers(ClusterSpec source, List<String> etcdBinaries) {
        for (int i = 0; i < source.members().size(); i++) {
            MemberSpec real = source.members().get(i);
            boolean local = real.access() == null || real.access().type() == null
                    || real.access().type() == NodeAccess.Type.LOCAL;
            if (!local || !etcdBinaries.get(i).equals(real.etcdBinary())) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the scratch cluster shares with the given clusters: a cluster id, a client or peer address (host and port,
     * whatever the scheme: a plain-HTTP scratch member on a TLS member's port would reach it), a data directory or a
     * pid file. Empty: running the plan on it cannot reach any of them.
     */
    public static List<String> sharedWith(ClusterSpec scratch, List<ClusterSpec> clusters) {
        Set<String> mine = new HashSet<>();
        for (MemberSpec m : scratch.members()) {
            for (String thing : List.of(m.clientUrl(), m.peerUrl(), m.dataDir(), m.localPidFile())) {
                if (thing != null) {
                    mine.add(where(thing));
                }
            }
        }
        List<String> shared = new ArrayList<>();
        for (ClusterSpec cluster : clusters) {
            if (cluster.id().equals(scratch.id())) {
                shared.add("cluster id " + cluster.id());
            }
            for (MemberSpec m : cluster.members()) {
                for (String thing : List.of(m.clientUrl(), m.peerUrl(), m.dataDir(), m.localPidFile())) {
                    if (thing != null && mine.contains(where(thing))) {
                        shared.add(thing + " of " + cluster.id() + "/" + m.name());
                    }
                }
            }
        }
        return shared;
    }

    /** A URL's host and port; a path as it is. */
    private static String where(String thing) {
        int scheme = thing.indexOf("://");
        return scheme < 0 ? thing : thing.substring(scheme + 3).replaceFirst("/.*$", "").toLowerCase(Locale.ROOT);
    }
}

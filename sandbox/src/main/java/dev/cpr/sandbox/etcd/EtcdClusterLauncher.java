package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.node.LocalEtcdMember.InitialState;
import dev.cpr.sandbox.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Starts a fresh {@link EtcdCluster} on loopback: lays out the members' specs on free ports, clears what an earlier
 * run left in their data directories, starts them and waits until all are healthy; a port taken before its member
 * bound it is retried on fresh ports.
 */
final class EtcdClusterLauncher {

    private EtcdClusterLauncher() {
    }

    static EtcdCluster plain(Path baseDir, String clusterId, int size, List<String> extraFlags,
            IntFunction<List<Integer>> ports) {
        requireMembers(size);
        Path base = baseDir.toAbsolutePath().normalize();
        String etcd = extraFlags.isEmpty() ? EtcdBinaries.etcdBinary() : EtcdBinaries.etcdWithFlags(base, extraFlags);
        return Ports.retryIfTaken("etcd cluster '" + clusterId + "'",
                () -> startOnce(base, clusterId, name -> etcd, null, ports.apply(2 * size)));
    }

    static EtcdCluster tls(Path baseDir, String clusterId, int size, List<String> extraFlags, int memberCertDays) {
        requireMembers(size);
        Path base = baseDir.toAbsolutePath().normalize();
        List<String> names = IntStream.rangeClosed(1, size).mapToObj(i -> "etcd-" + i).toList();
        ClusterTls tls = ClusterTls.create(base, clusterId, names, memberCertDays);
        Map<String, String> launchers = new LinkedHashMap<>();
        for (String name : names) {
            List<String> flags = new ArrayList<>(extraFlags);
            flags.addAll(tls.memberFlags(name));
            launchers.put(name, EtcdBinaries.etcdWithFlags(base, name + "-with-tls", flags));
        }
        return Ports.retryIfTaken("etcd cluster '" + clusterId + "'",
                () -> startOnce(base, clusterId, launchers::get, tls, Ports.free(2 * size)));
    }

    private static void requireMembers(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("an etcd cluster needs at least one member, not " + size);
        }
    }

    private static EtcdCluster startOnce(Path base, String clusterId, UnaryOperator<String> etcdOf, ClusterTls tls,
            List<Integer> ports) {
        int size = ports.size() / 2;
        String scheme = tls == null ? "http" : "https";
        List<MemberSpec> specs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String name = "etcd-" + (i + 1);
            specs.add(new MemberSpec(
                    name,
                    scheme + "://127.0.0.1:" + ports.get(2 * i),
                    scheme + "://127.0.0.1:" + ports.get(2 * i + 1),
                    base.resolve(name).toString(),
                    NodeAccess.local(etcdOf.apply(name), null, null)));
        }
        ClusterSpec spec = new ClusterSpec(clusterId, ClusterKind.ETCD, clusterId, tls == null ? null : tls.spec(),
                specs, null);
        EtcdCluster cluster = EtcdCluster.owned(spec, tls);
        try {
            Files.createDirectories(base);
            for (String name : cluster.memberNames()) {
                LocalEtcdMember member = cluster.localMember(name);
                member.stop(Duration.ofSeconds(2));
                member.wipe();
                Files.deleteIfExists(member.logFile());
            }
            for (String name : cluster.memberNames()) {
                cluster.localMember(name).start(spec, spec.initialClusterFlag(), InitialState.NEW);
            }
            cluster.awaitHealthy(EtcdCluster.START_TIMEOUT);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.stopAllQuietly();
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot start etcd cluster '" + clusterId + "' under " + base
                    + ": " + e.getMessage(), e);
        }
    }
}

package dev.cpr.sandbox.bbr;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.contracts.node.LocalEtcdMember;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code bbr-etcd} job's scripts on one master, run against its real etcd member: {@code backup} is
 * {@code etcdctl snapshot save} from that member; {@code restore} is {@code etcdctl snapshot restore} into the
 * member's data dir with the restored cluster's token; locking for restore stops the member, unlocking starts it.
 */
final class EtcdJob {

    static final String NAME = "bbr-etcd";
    static final String SNAPSHOT = "etcd-snapshot.db";

    private final VmAccess vm;
    private final LocalEtcdMember local;

    EtcdJob(VmAccess vm) {
        this.vm = vm;
        this.local = new LocalEtcdMember(vm.member());
    }

    VmAccess vm() {
        return vm;
    }

    MemberSpec member() {
        return vm.member();
    }

    /**
     * {@code etcdctl snapshot save <dir>/etcd-snapshot.db} from this master's own member, presenting the job's client
     * certificate when the member serves TLS.
     */
    void backup(Path dir) throws BbrException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "cannot create " + dir + " on " + vm.name() + ": " + e.getMessage(), e);
        }
        probe("backup");
        List<String> args = new ArrayList<>(List.of("--endpoints=" + member().clientUrl(), "--dial-timeout=2s",
                "--command-timeout=60s"));
        args.addAll(tlsFlags(vm.memberTls()));
        args.addAll(List.of("snapshot", "save", dir.resolve(SNAPSHOT).toString()));
        etcdctl(args, "backup");
    }

    /** etcdctl's flags for a member that asks for a client certificate; none for a plain one. */
    static List<String> tlsFlags(TlsSpec tls) {
        if (tls == null) {
            return List.of();
        }
        return List.of("--cacert=" + tls.caFile(), "--cert=" + tls.certFile(), "--key=" + tls.keyFile());
    }

    /** The script's first move: reach the member's client port (etcdctl would wait out its whole timeout). */
    private void probe(String script) throws BbrException {
        URI url = URI.create(member().clientUrl());
        String address = url.getHost() + ":" + url.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2000);
        } catch (IOException e) {
            String reason = e instanceof java.net.ConnectException ? "connect: connection refused"
                    : "i/o timeout (" + e.getMessage() + ")";
            throw new BbrException(Outcome.GENERAL, "Error attempting to run " + script + " for job " + NAME + " on "
                    + vm.name() + ": Error: dial tcp " + address + ": " + reason + " - exit code 2", e);
        }
    }

    /** Replaces the member's data dir with the snapshot, as a member of a new cluster (token) of every master. */
    void restore(Path snapshot, String initialCluster, String token) throws BbrException {
        Path dataDir = local.dataDir();
        try {
            LocalEtcdMember.deleteRecursively(dataDir);
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "cannot clear " + dataDir + " on " + vm.name(), e);
        }
        etcdctl(List.of("snapshot", "restore", snapshot.toString(), "--name", member().name(),
                "--initial-cluster", initialCluster, "--initial-cluster-token", token,
                "--initial-advertise-peer-urls", member().peerUrl(), "--data-dir", dataDir.toString()), "restore");
    }

    /** pre-restore-lock: stop etcd. */
    void stop() throws BbrException {
        try {
            local.stop(Duration.ofSeconds(10));
        } catch (IOException | RuntimeException e) {
            throw new BbrException(Outcome.LOCK, "Error attempting to run pre-restore-lock for job " + NAME + " on "
                    + vm.name() + ": " + e.getMessage(), e);
        }
    }

    /** post-restore-unlock: start etcd on its (restored) data. */
    void start(ClusterSpec cluster) throws BbrException {
        try {
            local.start(cluster, cluster.initialClusterFlag(), LocalEtcdMember.InitialState.EXISTING);
        } catch (IOException | RuntimeException e) {
            throw new BbrException(Outcome.UNLOCK, "Error attempting to run post-restore-unlock for job " + NAME
                    + " on " + vm.name() + ": " + e.getMessage(), e);
        }
    }

    boolean isRunning() {
        return local.isRunning();
    }

    static ClusterSpec cluster(String id, String token, TlsSpec tls, List<MemberSpec> members) {
        return new ClusterSpec(id, ClusterKind.ETCD, token, tls, members, null);
    }

    private void etcdctl(List<String> args, String script) throws BbrException {
        List<String> command = new ArrayList<>();
        command.add(etcdctlBinary(member().etcdBinary()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BbrException(Outcome.GENERAL, "Error attempting to run " + script + " for job " + NAME
                        + " on " + vm.name() + ": etcdctl did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new BbrException(Outcome.GENERAL, "Error attempting to run " + script + " for job " + NAME
                        + " on " + vm.name() + ": " + lastLine(new String(output, StandardCharsets.UTF_8))
                        + " - exit code " + process.exitValue());
            }
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "Error attempting to run " + script + " for job " + NAME + " on "
                    + vm.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BbrException(Outcome.GENERAL, "interrupted running " + script + " on " + vm.name(), e);
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).trim();
    }

    /** {@code $CPR_ETCDCTL_BINARY}, else {@code etcdctl} next to the etcd binary, else on the PATH. */
    static String etcdctlBinary(String etcdBinary) {
        String configured = System.getenv("CPR_ETCDCTL_BINARY");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path sibling = Path.of(etcdBinary).toAbsolutePath().resolveSibling("etcdctl");
        if (Files.isExecutable(sibling)) {
            return sibling.toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcdctl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "etcdctl";
    }
}

package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.node.LocalEtcdMember.InitialState;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.Processes;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * A real etcd cluster on loopback: {@code size} members {@code etcd-1..n}, each an {@code etcd} process
 * started through {@link LocalEtcdMember}, so its pid file ({@code <data-dir>.pid}) and log file
 * ({@code <data-dir>.log}) are exactly where restore-service's local node access looks for them.
 *
 * <p>The members run detached: they outlive this JVM unless {@link #close()} (or {@link #stopAll()}) stops
 * them. A cluster obtained by {@link #attach(ClusterSpec)} does not own its members: its {@code close()}
 * only closes the client.
 */
public final class EtcdCluster implements AutoCloseable {

    /** How long a fresh cluster may take to report every member healthy. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ClusterSpec spec;
    private final Map<String, LocalEtcdMember> members = new LinkedHashMap<>();
    private final boolean owned;
    private final EtcdKeyspace keyspace;
    private final EtcdMaintenance maintenance;
    private final EtcdClusterClients clients;
    private final EtcdClusterHealth health;
    /** The CA and certificates this object made; null for a plain or an attached cluster. */
    private final ClusterTls authority;

    private EtcdCluster(ClusterSpec spec, boolean owned, ClusterTls authority) {
        this.spec = spec;
        this.owned = owned;
        this.authority = authority;
        this.clients = new EtcdClusterClients(spec);
        this.keyspace = new EtcdKeyspace(spec, clients::shared);
        this.maintenance = new EtcdMaintenance(spec.id(), clients::builder);
        for (MemberSpec member : spec.members()) {
            members.put(member.name(), new LocalEtcdMember(member));
        }
        this.health = new EtcdClusterHealth(spec, members, clients.tls());
    }

    /** A cluster this object starts and so stops on {@link #close()}; {@code authority} null for plain HTTP. */
    static EtcdCluster owned(ClusterSpec spec, ClusterTls authority) {
        return new EtcdCluster(spec, true, authority);
    }

    /**
     * Starts a fresh cluster of {@code size} members under {@code baseDir} ({@code baseDir/etcd-1}, ...)
     * and waits until every member is healthy. Anything left in those data directories by an earlier run
     * is stopped and deleted first.
     *
     * @throws IllegalStateException if etcd is not installed or the cluster is not healthy in time (the
     *                               message carries the members' log tails)
     */
    public static EtcdCluster start(Path baseDir, String clusterId, int size) {
        return start(baseDir, clusterId, size, List.of());
    }

    /**
     * As {@link #start(Path, String, int)}, each member started with {@code extraFlags} too (e.g.
     * {@code --enable-v2} for a cluster that serves the v2 API, seed 002). The flags stay with the members
     * across restarts, also by whoever reads the inventory: the members' {@code etcd-binary} is then a small
     * script {@code <baseDir>/etcd-with-flags} that execs etcd with them.
     */
    public static EtcdCluster start(Path baseDir, String clusterId, int size, List<String> extraFlags) {
        return start(baseDir, clusterId, size, extraFlags, Ports::free);
    }

    /**
     * As {@link #start(Path, String, int, List)}, on the {@code 2 * size} ports (client, peer per member)
     * {@code ports} picks: afresh for each attempt, since one may be taken before its member binds it.
     */
    static EtcdCluster start(Path baseDir, String clusterId, int size, List<String> extraFlags,
            IntFunction<List<Integer>> ports) {
        return EtcdClusterLauncher.plain(baseDir, clusterId, size, extraFlags, ports);
    }

    /**
     * As {@link #start(Path, String, int)}, serving client and peer traffic over mutual TLS: a CA made for this
     * cluster under {@code baseDir/tls} issues each member's certificate (SAN 127.0.0.1 and localhost) and a client
     * certificate; members accept only clients and peers that CA signed ({@code --client-cert-auth},
     * {@code --peer-client-cert-auth}), on https URLs. The spec's {@code tls:} block names the CA and the client
     * certificate.
     */
    public static EtcdCluster startTls(Path baseDir, String clusterId, int size) {
        return startTls(baseDir, clusterId, size, List.of(), ClusterTls.DEFAULT_DAYS);
    }

    /**
     * As {@link #startTls(Path, String, int)}, each member started with {@code extraFlags} too and its certificate
     * valid for {@code memberCertDays} (a few days, to see the expiry warning). Each member's {@code etcd-binary} is a
     * script {@code <baseDir>/<name>-with-tls} carrying its own certificate's flags, so whoever restarts it from the
     * inventory starts it with them.
     */
    public static EtcdCluster startTls(Path baseDir, String clusterId, int size, List<String> extraFlags,
            int memberCertDays) {
        return EtcdClusterLauncher.tls(baseDir, clusterId, size, extraFlags, memberCertDays);
    }

    /**
     * Operates on an already running cluster described by an inventory entry (local access), e.g. the one
     * {@code ./cpr up} left running. Does not start anything; {@link #close()} does not stop the members.
     */
    public static EtcdCluster attach(ClusterSpec spec) {
        return new EtcdCluster(spec, false, null);
    }

    /**
     * The etcd binary: {@code $CPR_ETCD_BINARY}, else the release asked for by {@link EtcdRelease} (3.5 from its
     * cache), else {@code etcd} found on the {@code PATH}.
     *
     * @throws IllegalStateException saying how to install etcd when it is not there
     */
    public static String etcdBinary() {
        return EtcdBinaries.etcdBinary();
    }

    public ClusterSpec spec() {
        return spec;
    }

    public List<MemberSpec> members() {
        return spec.members();
    }

    public MemberSpec member(String name) {
        return spec.member(name).orElseThrow(() -> new IllegalArgumentException(
                "cluster '" + spec.id() + "' has no member '" + name + "'; members: " + members.keySet()));
    }

    /** The process-level handle of a member (pid file, log file, data dir). */
    public LocalEtcdMember localMember(String name) {
        member(name);
        return members.get(name);
    }

    /** The member's pid from its pid file, if the process is alive. */
    public OptionalLong pid(String name) {
        return localMember(name).process().map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
    }

    /** The CA, client certificate and key of a TLS cluster, as its inventory names them. */
    public java.util.Optional<dev.cpr.contracts.inventory.TlsSpec> tls() {
        return java.util.Optional.ofNullable(spec.tls());
    }

    /**
     * A further client certificate from this cluster's CA, e.g. one that expired, for the faults.
     *
     * @throws IllegalStateException for a plain-HTTP or an attached cluster, which have no CA here
     */
    public dev.cpr.sandbox.tls.IssuedCertificate issueClientCertificate(String name,
            dev.cpr.sandbox.tls.SandboxCa.Validity validity) {
        if (authority == null) {
            throw new IllegalStateException("cluster '" + spec.id() + "' was not started with TLS by this object");
        }
        return authority.ca().issueClient(name, validity);
    }

    /** {@code http://127.0.0.1:P1,http://127.0.0.1:P2,...} ({@code https} for a TLS cluster) */
    public String clientEndpoints() {
        return spec.clientEndpoints();
    }

    /** Writes an inventory holding just this cluster to {@code file}; returns the file. */
    public Path writeInventory(Path file) {
        try {
            InventoryLoader.write(new Inventory(List.of(spec)), file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write inventory " + file, e);
        }
    }

    /** SIGKILL, as a crashed node would die. */
    public void kill(String name) {
        run(name, "kill", LocalEtcdMember::kill);
    }

    /** SIGKILL to all of them at once, as a correlated loss kills: none is waited for before the last is signalled. */
    public void killTogether(List<String> names) {
        try {
            LocalEtcdMember.killTogether(names.stream().map(this::localMember).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot kill etcd members " + names + " of '" + spec.id() + "'", e);
        }
    }

    /** SIGSTOP: the process stays and its sockets stay open, but it answers nothing, as a hung node would. */
    public void hang(String name) {
        signal(name, "STOP");
    }

    /** SIGCONT: a hung member goes on, if it is still there. */
    public void resume(String name) {
        signal(name, "CONT");
    }

    private void signal(String name, String signal) {
        OptionalLong pid = pid(name);
        if (pid.isEmpty()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid.getAsLong()))
                    .redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid.getAsLong() + " (etcd member '" + name
                        + "') failed: " + new String(kill.getInputStream().readAllBytes()).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal etcd member '" + name + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling etcd member '" + name + "'", e);
        }
    }

    /**
     * Deletes {@code <data-dir>/member/wal}, as in seed 001. The process is left as it is: a running member
     * keeps its open files until it is restarted, then it fails to start.
     */
    public void deleteWal(String name) {
        Processes.deleteRecursively(localMember(name).dataDir().resolve("member").resolve("wal"));
    }

    /** Deletes the member's whole data directory. */
    public void wipe(String name) {
        run(name, "wipe", LocalEtcdMember::wipe);
    }

    /** Starts the member again on its existing data ({@code --initial-cluster-state existing}). */
    public void restart(String name) {
        run(name, "restart", m -> m.start(spec, spec.initialClusterFlag(), InitialState.EXISTING));
    }

    /**
     * Starts again, on its existing data, every member whose process is not running: a test that failed half-way
     * leaves its killed member down, and the next test's set-up calls this so that one failure stays one failure.
     *
     * @return the members started
     */
    public List<String> restartStopped() {
        List<String> stopped = spec.members().stream().map(MemberSpec::name).filter(name -> pid(name).isEmpty())
                .toList();
        stopped.forEach(this::restart);
        return stopped;
    }

    /** Stops one member (SIGTERM, then SIGKILL after a grace period). */
    public void stop(String name) {
        run(name, "stop", m -> m.stop(STOP_GRACE));
    }

    /** {@code GET <client-url>/health} answers {@code "health":"true"} within two seconds. */
    public boolean isHealthy(String name) {
        return health.isHealthy(member(name));
    }

    /**
     * Waits until every member is healthy.
     *
     * @throws IllegalStateException on timeout, naming the unhealthy members with their log tails
     */
    public void awaitHealthy(Duration timeout) {
        health.awaitHealthy(timeout);
    }

    /**
     * Puts {@code count} keys {@code <prefix>000000 ...} with values of about 100 bytes, in transactions of
     * 100 puts with several in flight (10,000 keys take a second or two on loopback).
     *
     * @return the number of keys written
     */
    public int putKeys(String prefix, int count) {
        return keyspace.putKeys(prefix, count);
    }

    /** How many keys the whole keyspace holds (a count-only range over everything). */
    public long countKeys() {
        return keyspace.countKeys();
    }

    /** The cluster's current revision (the header of a count-only range). */
    public long revision() {
        return keyspace.revision();
    }

    /** The etcd release the first member reports in its status ({@code 3.5.16}). */
    public String version() {
        return keyspace.version();
    }

    /** A jetcd client on every member's client URL, built on first use and closed by {@link #close()}. */
    public Client client() {
        return clients.shared();
    }

    /** The member's database size in bytes, from its own status. */
    public long dbSize(String name) {
        return maintenance.dbSize(member(name));
    }

    /** Defragments one member's database (it blocks that member while it runs). */
    public void defragment(String name) {
        maintenance.defragment(member(name));
    }

    /** Stops every member (SIGTERM, then SIGKILL after a grace period), owned or attached. */
    public void stopAll() {
        List<String> failures = new ArrayList<>();
        for (LocalEtcdMember member : members.values()) {
            try {
                member.stop(STOP_GRACE);
            } catch (IOException | RuntimeException e) {
                failures.add(member.name() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("cannot stop etcd members of '" + spec.id() + "': " + failures);
        }
    }

    /** Closes the client and, for a cluster this object started, stops every member. Data dirs are kept. */
    @Override
    public void close() {
        clients.close();
        if (owned) {
            stopAll();
        }
    }

    /** Deletes every member's data directory (members must be stopped); pid and log files are kept. */
    public void deleteData() {
        for (LocalEtcdMember member : members.values()) {
            Processes.deleteRecursively(member.dataDir());
        }
    }

    /** The members' names, in order. */
    List<String> memberNames() {
        return List.copyOf(members.keySet());
    }

    void stopAllQuietly() {
        try {
            clients.close();
            stopAll();
        } catch (RuntimeException ignored) {
            // already failing; the original error is the one worth reporting
        }
    }

    private interface MemberAction {
        void apply(LocalEtcdMember member) throws IOException;
    }

    private void run(String name, String what, MemberAction action) {
        LocalEtcdMember member = localMember(name);
        try {
            action.apply(member);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + what + " etcd member '" + name + "' of '" + spec.id() + "'", e);
        }
    }
}

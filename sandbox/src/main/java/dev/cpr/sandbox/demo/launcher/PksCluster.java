package dev.cpr.sandbox.demo.launcher;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.Sandbox;
import dev.cpr.sandbox.SandboxDescription;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.bosh.BoshSimulatorDescription;
import dev.cpr.sandbox.bosh.InstanceRecord;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The world's PKS cluster (seeds 000, 001, 003): a second <b>real</b> 3-member etcd cluster, {@code pks-1}, run as
 * the masters of the BOSH deployment {@code service-instance_<uuid>} of a {@link BoshDirectorSimulator}. In the
 * inventory it is {@code kind: bosh}: a {@code bosh:} section pointing at the simulator (the client secret in the
 * environment variable {@link #SECRET_ENV}, as production keeps it out of the file) and members with
 * {@code access: {type: bosh, deployment, instance: master/<uuid>}}. Their data dir, etcd binary, pid and log files
 * stay in the inventory too: with {@code cpr.restore.bosh.vm-shell=local} a VM's persistent disk is a directory on
 * this host. Over TLS the inventory's {@code tls:} block names the masters' CA and the client certificate cpr presents.
 */
public final class PksCluster implements AutoCloseable {

    public static final String CLUSTER_ID = "pks-1";
    /** The seeds' deployment name. */
    public static final String DEPLOYMENT = BoshDirectorResource.DEFAULT_DEPLOYMENT;
    /** Where the services find the director's client secret ({@code bosh.client-secret-env}). */
    public static final String SECRET_ENV = "CPR_BOSH_PKS_1_CLIENT_SECRET";
    public static final int MASTERS = 3;
    private static final String GROUP = "master";

    private final EtcdCluster etcd;
    private final BoshDirectorSimulator director;

    private PksCluster(EtcdCluster etcd, BoshDirectorSimulator director) {
        this.etcd = etcd;
        this.director = director;
    }

    /**
     * Starts the members under {@code baseDir/etcd} and the director simulator over them in
     * {@code baseDir/bosh-director}. The masters serve mutual TLS, as PKS's do, unless the sandbox is asked for plain
     * HTTP ({@link Sandbox#tlsEnabled}).
     */
    public static PksCluster start(Path baseDir) {
        EtcdCluster etcd = Sandbox.tlsEnabled()
                ? EtcdCluster.startTls(baseDir.resolve("etcd"), CLUSTER_ID, MASTERS)
                : EtcdCluster.start(baseDir.resolve("etcd"), CLUSTER_ID, MASTERS);
        try {
            return new PksCluster(etcd, BoshDirectorSimulator.start(etcd, DEPLOYMENT, baseDir.resolve("bosh-director")));
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    public EtcdCluster etcd() {
        return etcd;
    }

    /** The simulator, for the scenarios' faults (what happens to the VMs and the director, not what cpr does). */
    public BoshDirectorSimulator director() {
        return director;
    }

    public String clusterId() {
        return CLUSTER_ID;
    }

    /** {@code master/<uuid>} of an etcd member. */
    public String instanceOf(String member) {
        InstanceRecord r = director.instance(member);
        return r.group() + "/" + r.id();
    }

    /** The cluster as the services' inventory holds it. */
    public ClusterSpec inventorySpec() {
        List<MemberSpec> members = etcd.members().stream().map(m -> new MemberSpec(m.name(), m.clientUrl(),
                m.peerUrl(), m.dataDir(), new NodeAccess(NodeAccess.Type.BOSH, m.etcdBinary(), m.localPidFile(),
                        m.localLogFile(), null, null, null, DEPLOYMENT, instanceOf(m.name())))).toList();
        BoshSpec bosh = new BoshSpec(director.url(), DEPLOYMENT, GROUP, director.options().client(), null, SECRET_ENV,
                null, new BoshSpec.DirectorSsh(director.bbrHost(), "bbr", director.bbrPrivateKey().toString()));
        return new ClusterSpec(CLUSTER_ID, ClusterKind.BOSH, etcd.spec().token(), etcd.spec().tls(), members, null, bosh,
                null);
    }

    /** What every service needs in its environment for this cluster. */
    public Map<String, String> env() {
        return Map.of(SECRET_ENV, director.options().clientSecret());
    }

    /** A BOSH client of this director, as an operator's {@code bosh} CLI would be: for judging from outside. */
    public BoshDirectorClient client() {
        return new BoshDirectorClient(BoshDirectorConfig.of(director.url(), director.options().client(),
                director.options().clientSecret()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    public Description describe() {
        List<SandboxDescription.EtcdMember> members = etcd.members().stream().map(m -> {
            LocalEtcdMember local = etcd.localMember(m.name());
            var pid = etcd.pid(m.name());
            return new SandboxDescription.EtcdMember(m.name(), m.clientUrl(), m.peerUrl(), m.dataDir(),
                    local.pidFile().toString(), local.logFile().toString(), pid.isPresent() ? pid.getAsLong() : null);
        }).toList();
        return new Description(CLUSTER_ID, SECRET_ENV, director.description(),
                new SandboxDescription.Etcd(CLUSTER_ID, etcd.clientEndpoints(), members), director.describeInstances());
    }

    /** Stops the director simulator and the members (data dirs kept). */
    @Override
    public void close() {
        try {
            director.close();
        } finally {
            etcd.close();
        }
    }

    /**
     * The PKS cluster in {@code .cpr/sandbox.json}.
     *
     * @param instances the deployment's instances when the world came up ({@code ./cpr status} asks the director)
     */
    public record Description(String clusterId, String clientSecretEnv, BoshSimulatorDescription director,
            SandboxDescription.Etcd etcd, List<String> instances) {

        /** The members as a sandbox description holding only them, so {@code Sandbox.stop} can stop them. */
        public SandboxDescription asSandboxEtcd() {
            return new SandboxDescription(null, null, 0, etcd, null, null);
        }
    }
}

package dev.cpr.restore.adapters.bosh;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.config.RestoreConfig.Bosh.VmShell;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.adapters.ssh.SshNodeControl;
import dev.cpr.restore.domain.bosh.BoshCloudCheckPlan;
import dev.cpr.restore.domain.bosh.BoshDirector;
import dev.cpr.restore.domain.etcd.NodeControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link NodeControl} for {@code access: {type: bosh, deployment, instance}}: the member's etcd is a job on a BOSH
 * VM, so its process lifecycle goes through the director and its files through a "VM shell".
 * <ul>
 *   <li>stop / start: the instance actions {@code stop} / {@code start}, waiting for the task; a director error or
 *       a failed task fails the call with the director's code and text. The BOSH job's own configuration decides
 *       etcd's flags; a started instance joins the existing cluster (a wiped member that was {@code member add}-ed
 *       joins it as the new member). Starting a member as part of a NEW cluster (a quorum restore) is refused:
 *       BOSH clusters are restored by bbr.</li>
 *   <li>isRunning: from the instance as {@code instances?format=full} shows it: a VM whose {@code etcd} process
 *       runs, or whose desired state is {@code started}. A started instance counts as running even while monit
 *       reports etcd failing, because monit keeps restarting it: its disk is safe to touch only after the director
 *       stopped the instance.</li>
 *   <li>files (hasData, wipe, exists, move, delete, touch, stage, exec): the VM shell of
 *       {@code cpr.restore.bosh.vm-shell}: {@code local}, the persistent disk is the member's data dir on this host
 *       (the sandbox, through {@link LocalNodeControl}); {@code ssh}, the ssh node access to the member's
 *       {@code access.host} (a gateway or jumpbox set-up, through {@link SshNodeControl}).</li>
 * </ul>
 * The director is the member's cluster's ({@code bosh:} section), one client per cluster.
 */
@ApplicationScoped
@Typed(BoshNodeControl.class)
public class BoshNodeControl implements NodeControl {

    static final String ETCD_PROCESS = "etcd";

    private final Function<MemberSpec, ClusterSpec> clusterOf;
    private final Function<ClusterSpec, BoshDirectorAdapter> directors;
    private final VmShell shellType;
    private final Supplier<? extends NodeControl> shell;

    @Inject
    public BoshNodeControl(Inventory inventory, BoshDirectors directors, RestoreConfig config, LocalNodeControl local,
            Instance<SshNodeControl> ssh) {
        this(member -> clusterOf(inventory, member), directors::of, config.bosh().vmShell(),
                config.bosh().vmShell() == VmShell.LOCAL ? () -> local : ssh::get);
    }

    BoshNodeControl(Function<MemberSpec, ClusterSpec> clusterOf, Function<ClusterSpec, BoshDirectorAdapter> directors,
            VmShell shellType, Supplier<? extends NodeControl> shell) {
        this.clusterOf = clusterOf;
        this.directors = directors;
        this.shellType = shellType;
        this.shell = shell;
    }

    // ---------------------------------------------------------------- the process, through the director

    @Override
    public boolean isRunning(MemberSpec member) {
        BoshDirector.Instance instance = instance(member);
        if (!instance.hasVm()) {
            return false;
        }
        boolean etcdRuns = instance.processes().stream()
                .anyMatch(p -> ETCD_PROCESS.equals(p.name()) && "running".equals(p.state()));
        return etcdRuns || "started".equals(instance.desiredState());
    }

    @Override
    public void stop(MemberSpec member) throws IOException {
        String instance = BoshCloudCheckPlan.instanceOf(member);
        try {
            director(member).stop(deployment(member), instance);
        } catch (BoshDirector.DirectorException e) {
            throw new IOException("stopping " + instance + " (" + member.name() + ") through the BOSH director: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException {
        String instance = BoshCloudCheckPlan.instanceOf(member);
        try {
            directors.apply(cluster).start(BoshCloudCheckPlan.deploymentOf(cluster, member), instance);
        } catch (BoshDirector.DirectorException e) {
            throw new IOException("starting " + instance + " (" + member.name() + ") through the BOSH director: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster, ClusterState state, String token)
            throws IOException {
        if (state == ClusterState.NEW || !cluster.token().equals(token)) {
            throw new UnsupportedOperationException("member " + member.name() + " is a BOSH job: starting it as part "
                    + "of a new cluster (a quorum restore) is refused; BOSH clusters are restored by bbr "
                    + "(" + PlanNames.BBR_DEPLOYMENT_RESTORE + ")");
        }
        start(cluster, member, initialCluster);
    }

    // ---------------------------------------------------------------- the VM's files, through the VM shell

    @Override
    public boolean hasData(MemberSpec member) {
        return shell.get().hasData(onVm(member));
    }

    @Override
    public void wipe(MemberSpec member) throws IOException {
        shell.get().wipe(onVm(member));
    }

    @Override
    public CommandOutcome exec(MemberSpec member, List<String> argv, Duration timeout) throws IOException {
        return shell.get().exec(onVm(member), argv, timeout);
    }

    @Override
    public boolean exists(MemberSpec member, String path) throws IOException {
        return shell.get().exists(onVm(member), path);
    }

    @Override
    public void move(MemberSpec member, String from, String to) throws IOException {
        shell.get().move(onVm(member), from, to);
    }

    @Override
    public void delete(MemberSpec member, String path) throws IOException {
        shell.get().delete(onVm(member), path);
    }

    @Override
    public void touch(MemberSpec member, String path) throws IOException {
        shell.get().touch(onVm(member), path);
    }

    @Override
    public String stage(MemberSpec member, Path localFile) throws IOException {
        return shell.get().stage(onVm(member), localFile);
    }

    /** The member as the VM shell's node control knows it: the same member with local or ssh access. */
    MemberSpec onVm(MemberSpec member) {
        NodeAccess a = requireBosh(member);
        NodeAccess access = switch (shellType) {
            case LOCAL -> new NodeAccess(NodeAccess.Type.LOCAL, a.etcdBinary(), a.pidFile(), a.logFile(), null, null,
                    null, a.deployment(), a.instance());
            case SSH -> {
                if (a.host() == null || a.host().isBlank()) {
                    throw new IllegalArgumentException("member " + member.name() + " (access bosh, instance "
                            + a.instance() + ") has no access.host: with cpr.restore.bosh.vm-shell=ssh its VM's files "
                            + "are reached over ssh through access.host (a gateway or jumpbox); set it, or use "
                            + "vm-shell=local when the persistent disk is on this host");
                }
                yield new NodeAccess(NodeAccess.Type.SSH, a.etcdBinary(), a.pidFile(), a.logFile(), a.host(), a.port(),
                        a.user(), a.deployment(), a.instance());
            }
        };
        return new MemberSpec(member.name(), member.clientUrl(), member.peerUrl(), member.dataDir(), access);
    }

    // ---------------------------------------------------------------- helpers

    private BoshDirector.Instance instance(MemberSpec member) {
        String instance = BoshCloudCheckPlan.instanceOf(member);
        String deployment = deployment(member);
        return director(member).instance(deployment, instance).orElseThrow(() -> new IllegalStateException(
                "BOSH deployment " + deployment + " has no instance " + instance + " (member " + member.name()
                        + "): the inventory does not match the deployment"));
    }

    private BoshDirectorAdapter director(MemberSpec member) {
        return directors.apply(clusterOf.apply(member));
    }

    private String deployment(MemberSpec member) {
        return BoshCloudCheckPlan.deploymentOf(clusterOf.apply(member), member);
    }

    private static NodeAccess requireBosh(MemberSpec member) {
        NodeAccess access = member.access();
        if (access == null || access.type() != NodeAccess.Type.BOSH) {
            throw new IllegalArgumentException("member " + member.name() + " has no bosh access");
        }
        return access;
    }

    private static ClusterSpec clusterOf(Inventory inventory, MemberSpec member) {
        return inventory.clusters().stream()
                .filter(c -> c.members().contains(member))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("member " + member.name() + " (instance "
                        + (member.access() == null ? "?" : member.access().instance())
                        + ") is in no cluster of the inventory"));
    }
}

package dev.cpr.restore.adapters.ssh;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.adapters.bosh.BoshNodeControl;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.domain.etcd.NodeControl;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link NodeControl} that picks the adapter by the member's {@code access.type}: local members go to
 * {@link LocalNodeControl}, ssh members to {@link SshNodeControl}, bosh members to {@link BoshNodeControl}.
 * <p>
 * The {@code NodeControl} every injection point gets: an {@code @Alternative} enabled by {@code @Priority}
 * (an enabled alternative wins over the plain {@link LocalNodeControl} bean), so it is in use whatever the
 * inventory holds, without a configuration line to forget.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class AccessRoutingNodeControl implements NodeControl {

    private final NodeControl local;
    private final Supplier<? extends NodeControl> ssh;
    private final Supplier<? extends NodeControl> bosh;

    /**
     * The ssh and BOSH node controls are made on first use: a service without ssh members needs no key, one
     * without BOSH members no director.
     */
    @Inject
    public AccessRoutingNodeControl(LocalNodeControl local, Instance<SshNodeControl> ssh,
            Instance<BoshNodeControl> bosh) {
        this(local, ssh::get, bosh::get);
    }

    AccessRoutingNodeControl(NodeControl local, Supplier<? extends NodeControl> ssh,
            Supplier<? extends NodeControl> bosh) {
        this.local = local;
        this.ssh = ssh;
        this.bosh = bosh;
    }

    private NodeControl of(MemberSpec member) {
        NodeAccess.Type type = member.access() != null && member.access().type() != null
                ? member.access().type() : NodeAccess.Type.LOCAL;
        return switch (type) {
            case LOCAL -> local;
            case SSH -> ssh.get();
            case BOSH -> bosh.get();
        };
    }

    @Override
    public boolean isRunning(MemberSpec member) {
        return of(member).isRunning(member);
    }

    @Override
    public void stop(MemberSpec member) throws IOException {
        of(member).stop(member);
    }

    @Override
    public boolean hasData(MemberSpec member) {
        return of(member).hasData(member);
    }

    @Override
    public void wipe(MemberSpec member) throws IOException {
        of(member).wipe(member);
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException {
        of(member).start(cluster, member, initialCluster);
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster, ClusterState state, String token)
            throws IOException {
        of(member).start(cluster, member, initialCluster, state, token);
    }

    @Override
    public CommandOutcome exec(MemberSpec member, List<String> argv, Duration timeout) throws IOException {
        return of(member).exec(member, argv, timeout);
    }

    @Override
    public boolean exists(MemberSpec member, String path) throws IOException {
        return of(member).exists(member, path);
    }

    @Override
    public void move(MemberSpec member, String from, String to) throws IOException {
        of(member).move(member, from, to);
    }

    @Override
    public void delete(MemberSpec member, String path) throws IOException {
        of(member).delete(member, path);
    }

    @Override
    public void touch(MemberSpec member, String path) throws IOException {
        of(member).touch(member, path);
    }

    @Override
    public String stage(MemberSpec member, Path localFile) throws IOException {
        return of(member).stage(member, localFile);
    }
}

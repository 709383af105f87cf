package dev.cpr.restore.adapters.ssh;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.domain.etcd.NodeControl;
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
 * {@link LocalNodeControl}, ssh members to {@link SshNodeControl}; BOSH is refused with a clear message.
 * <p>
 * An {@code @Alternative}, off until selected, so it changes nothing by itself. Turn it on with
 * {@code quarkus.arc.selected-alternatives=dev.cpr.restore.adapters.ssh.AccessRoutingNodeControl}
 * (or give it {@code @Priority}); then every {@code NodeControl} injection point gets it.
 */
@Alternative
@ApplicationScoped
public class AccessRoutingNodeControl implements NodeControl {

    private final NodeControl local;
    private final Supplier<? extends NodeControl> ssh;

    /** The ssh node control is made on first use: a service without ssh members needs no key. */
    @Inject
    public AccessRoutingNodeControl(LocalNodeControl local, Instance<SshNodeControl> ssh) {
        this(local, ssh::get);
    }

    AccessRoutingNodeControl(NodeControl local, Supplier<? extends NodeControl> ssh) {
        this.local = local;
        this.ssh = ssh;
    }

    private NodeControl of(MemberSpec member) {
        NodeAccess.Type type = member.access() != null && member.access().type() != null
                ? member.access().type() : NodeAccess.Type.LOCAL;
        return switch (type) {
            case LOCAL -> local;
            case SSH -> ssh.get();
            case BOSH -> throw new UnsupportedOperationException("member " + member.name()
                    + " has access 'bosh': BOSH node access is not implemented");
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

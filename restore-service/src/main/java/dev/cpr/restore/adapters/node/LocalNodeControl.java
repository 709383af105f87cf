package dev.cpr.restore.adapters.node;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.restore.domain.etcd.NodeControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * {@link NodeControl} for {@code access: local}: the member is an etcd process on this host, known by
 * its pid file (contracts' {@link LocalEtcdMember}). Members with other access types are refused with
 * a clear message until their adapters exist.
 */
@ApplicationScoped
public class LocalNodeControl implements NodeControl {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @Override
    public boolean isRunning(MemberSpec member) {
        return local(member).isRunning();
    }

    @Override
    public void stop(MemberSpec member) throws IOException {
        local(member).stop(STOP_GRACE);
    }

    @Override
    public boolean hasData(MemberSpec member) {
        return Files.exists(local(member).dataDir());
    }

    @Override
    public void wipe(MemberSpec member) throws IOException {
        local(member).wipe();
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException {
        local(member).start(cluster, initialCluster, LocalEtcdMember.InitialState.EXISTING);
    }

    private static LocalEtcdMember local(MemberSpec member) {
        NodeAccess.Type type = member.access() != null && member.access().type() != null
                ? member.access().type() : NodeAccess.Type.LOCAL;
        if (type != NodeAccess.Type.LOCAL) {
            throw new UnsupportedOperationException("member " + member.name() + " has access '"
                    + type.name().toLowerCase() + "': only local node access is implemented so far");
        }
        return new LocalEtcdMember(member);
    }
}

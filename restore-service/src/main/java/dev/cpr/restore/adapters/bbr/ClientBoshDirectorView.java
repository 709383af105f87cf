package dev.cpr.restore.adapters.bbr;

import dev.cpr.bosh.BoshDeployment;
import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshInfo;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.adapters.bosh.BoshDirectors;
import dev.cpr.restore.domain.bbr.BoshDirectorView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@link BoshDirectorView} through the cluster's one director client ({@link BoshDirectors}, shared with the cloud
 * check and BOSH node access, its UAA token cached). Blocking: called from plan steps on worker threads.
 */
@ApplicationScoped
public class ClientBoshDirectorView implements BoshDirectorView {

    private final BoshDirectors directors;

    public ClientBoshDirectorView(BoshDirectors directors) {
        this.directors = directors;
    }

    @Override
    public String info(ClusterSpec cluster) {
        BoshInfo info = client(cluster).info();
        return info.name() + " " + info.version();
    }

    @Override
    public List<String> deployments(ClusterSpec cluster) {
        return client(cluster).deployments().stream().map(BoshDeployment::name).toList();
    }

    @Override
    public List<String> instances(ClusterSpec cluster) {
        return client(cluster).instances(cluster.bosh().deployment()).stream().map(BoshInstance::name).toList();
    }

    private BoshDirectorClient client(ClusterSpec cluster) {
        return directors.of(cluster).client();
    }
}

package dev.cpr.restore.adapters.bbr;

import dev.cpr.bosh.BoshDeployment;
import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshInfo;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.bbr.BoshDirectorView;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link BoshDirectorView} through bosh-client's {@link BoshDirectorClient}, one client per cluster (its UAA token
 * cached), bounded by {@code cpr.restore.bbr.director-timeout}. Blocking: called from plan steps on worker threads.
 */
@ApplicationScoped
public class ClientBoshDirectorView implements BoshDirectorView {

    private final BbrRestoreConfig config;
    private final Map<String, BoshDirectorClient> clients = new ConcurrentHashMap<>();

    public ClientBoshDirectorView(BbrRestoreConfig config) {
        this.config = config;
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
        return client(cluster).instances(bosh(cluster).deployment()).stream().map(BoshInstance::name).toList();
    }

    private BoshDirectorClient client(ClusterSpec cluster) {
        BoshSpec bosh = bosh(cluster);
        // keyed by the director too: an inventory reload may point the cluster at another director
        return clients.computeIfAbsent(cluster.id() + "@" + bosh.directorUrl(), k -> new BoshDirectorClient(
                new BoshDirectorConfig(URI.create(bosh.directorUrl()), bosh.caCert() == null ? null
                        : Path.of(bosh.caCert()), bosh.client(), bosh.resolveClientSecret(), config.directorTimeout(),
                        config.directorTimeout(), null, config.directorTimeout())));
    }

    private static BoshSpec bosh(ClusterSpec cluster) {
        if (cluster.bosh() == null) {
            throw new IllegalArgumentException("cluster " + cluster.id() + " is not kind: bosh (no bosh section)");
        }
        return cluster.bosh();
    }
}

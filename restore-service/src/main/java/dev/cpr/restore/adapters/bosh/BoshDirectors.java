package dev.cpr.restore.adapters.bosh;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.config.RestoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One director client per BOSH cluster, made on first use from the cluster's {@code bosh:} section (the secret
 * read from {@code client-secret-env}'s variable at that moment) and kept: the client caches its UAA token.
 */
@ApplicationScoped
public class BoshDirectors {

    private static final Logger LOG = Logger.getLogger(BoshDirectors.class);

    private final RestoreConfig.Bosh config;
    private final Map<String, BoshDirectorAdapter> byCluster = new ConcurrentHashMap<>();

    @Inject
    public BoshDirectors(RestoreConfig config) {
        this(config.bosh());
    }

    BoshDirectors(RestoreConfig.Bosh config) {
        this.config = config;
    }

    /** @throws IllegalArgumentException when the cluster has no {@code bosh:} section or its secret is not set */
    public BoshDirectorAdapter of(ClusterSpec cluster) {
        return byCluster.computeIfAbsent(cluster.id(), id -> new BoshDirectorAdapter(
                new BoshDirectorClient(clientConfig(cluster))));
    }

    private BoshDirectorConfig clientConfig(ClusterSpec cluster) {
        BoshSpec bosh = cluster.bosh();
        if (bosh == null) {
            throw new IllegalArgumentException("cluster " + cluster.id() + " (kind " + cluster.kind().name()
                    .toLowerCase() + ") has no bosh section: its director is unknown");
        }
        String secret;
        try {
            secret = bosh.resolveClientSecret();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cluster " + cluster.id() + ": " + e.getMessage(), e);
        }
        BoshDirectorConfig made = new BoshDirectorConfig(URI.create(bosh.directorUrl()),
                bosh.caCert() == null ? null : Path.of(bosh.caCert()), bosh.client(), secret,
                config.connectTimeout(), config.requestTimeout(), config.taskPollInterval(), config.taskTimeout());
        LOG.infof("BOSH director of cluster %s: %s", cluster.id(), made);
        return made;
    }
}

package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.KvHashVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What the slower checks last found, per cluster, for every fast poll to use: the members' KV hash comparison
 * (a differing member is DATA_CORRUPT), the quota each cluster runs with (configured, else read from a member,
 * else etcd's default) and when the members' TLS certificates end.
 */
@ApplicationScoped
public class SlowChecks {

    private static final Logger LOG = Logger.getLogger(SlowChecks.class);

    private final ClusterOwnership ownership;
    private final Inventory inventory;
    private final KvHashCheck probe;
    private final MonitorConfig.Space space;
    private final Map<String, KvHashVerdict> hashes = new ConcurrentHashMap<>();
    private final Map<String, Long> readQuotas = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> certificateEnds = new ConcurrentHashMap<>();

    public SlowChecks(Inventory inventory, KvHashCheck probe, MonitorConfig config, ClusterOwnership ownership) {
        this.ownership = ownership;
        this.inventory = inventory;
        this.probe = probe;
        this.space = config.space();
    }

    /** Blocking: one round over every cluster (the scheduler runs it on a worker thread). */
    public void checkAll() {
        for (ClusterSpec cluster : inventory.clusters()) {
            if (!ownership.owns(cluster.id())) {
                continue;
            }
            try {
                check(cluster);
            } catch (RuntimeException e) {
                LOG.warnf("cluster=%s hash and quota check failed, retried on the next round: %s", cluster.id(),
                        e.toString());
            }
        }
    }

    void check(ClusterSpec cluster) {
        if (!space.quotaBytes().containsKey(cluster.id())) {
            probe.quotaBytes(cluster).ifPresent(q -> readQuotas.put(cluster.id(), q));
        }
        if (cluster.tls() != null) {
            Map<String, Instant> ends = new java.util.HashMap<>(certificateEnds.getOrDefault(cluster.id(), Map.of()));
            ends.putAll(probe.certificateEnds(cluster));
            certificateEnds.put(cluster.id(), Map.copyOf(ends));
        }
        Optional<KvHashVerdict> verdict = probe.hashes(cluster);
        verdict.ifPresentOrElse(v -> {
            KvHashVerdict before = hashes.put(cluster.id(), v);
            if (!v.differing().isEmpty() && (before == null || !before.differing().equals(v.differing()))) {
                LOG.warnf("cluster=%s %s", cluster.id(), v.summary());
            }
        }, () -> hashes.remove(cluster.id()));
    }

    public Optional<KvHashVerdict> hashes(String clusterId) {
        return Optional.ofNullable(hashes.get(clusterId));
    }

    /** When each member's certificate ends, as last seen; a member down keeps its last reading. */
    public Map<String, Instant> certificateEnds(String clusterId) {
        return certificateEnds.getOrDefault(clusterId, Map.of());
    }

    public long quotaBytes(String clusterId) {
        Long configured = space.quotaBytes().get(clusterId);
        if (configured != null) {
            return configured;
        }
        return readQuotas.getOrDefault(clusterId, space.defaultQuotaBytes());
    }
}

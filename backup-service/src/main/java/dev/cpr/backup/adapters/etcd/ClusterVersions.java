package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.EtcdVersions;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import io.etcd.jetcd.Client;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Which etcd release a cluster runs: the {@code version} of the first member that answers a status request. The
 * last answer per cluster is kept, so a drill while the cluster is down (an uploaded copy checked during a quorum
 * loss) still knows it.
 */
@ApplicationScoped
public class ClusterVersions implements EtcdVersions {

    private static final Logger LOG = Logger.getLogger(ClusterVersions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, EtcdVersion> lastSeen = new ConcurrentHashMap<>();

    /** The cluster's release now, else the last one seen; empty when no member ever answered. */
    public Optional<EtcdVersion> read(ClusterSpec cluster) {
        for (MemberSpec member : cluster.members()) {
            try (Client client = EtcdClients.forMember(cluster, member, TIMEOUT)) {
                String reported = client.getMaintenanceClient().statusMember(member.clientUrl())
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getVersion();
                Optional<EtcdVersion> version = EtcdVersion.find(reported);
                if (version.isPresent()) {
                    lastSeen.put(cluster.id(), version.get());
                    return version;
                }
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debugf("cluster %s: no status from %s: %s", cluster.id(), member.name(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.ofNullable(lastSeen.get(cluster.id()));
    }
}

package dev.cpr.healthmonitor.adapters.bosh;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshDirectorException;
import dev.cpr.bosh.BoshException;
import dev.cpr.bosh.BoshInfo;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.healthmonitor.app.BoshProbe;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.bosh.BoshInstanceView;
import dev.cpr.healthmonitor.domain.bosh.BoshObservation;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Polls the BOSH director of a {@code kind: bosh} cluster: {@code GET /info}, then the deployment's
 * {@code instances?format=full} (the seeds' {@code bosh is}), with cpr's {@link BoshDirectorClient} (one per
 * cluster, UAA token cached).
 *
 * <p>The client is blocking (JDK HttpClient, task polling with sleeps), so every poll runs on this probe's own
 * daemon threads, never on the event loop or the worker pool the etcd poll uses, and is cut off after
 * {@code cpr.monitor.bosh.poll-timeout}: a hanging director then counts as unreachable while its thread waits out
 * the client's request timeout. A poll never fails: whatever went wrong is in the observation.
 */
@ApplicationScoped
public class BoshDirectorProbe implements BoshProbe {

    private static final Logger LOG = Logger.getLogger(BoshDirectorProbe.class);

    private final Clock clock;
    private final MonitorConfig.Bosh config;
    private final Map<String, BoshDirectorClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService threads;

    public BoshDirectorProbe(Clock clock, MonitorConfig config) {
        this.clock = clock;
        this.config = config.bosh();
        AtomicInteger n = new AtomicInteger();
        // cached: a hanging director holds a thread until the client's request timeout, never blocking the next poll
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cpr-bosh-poll-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Uni<BoshObservation> poll(ClusterSpec cluster) {
        BoshSpec bosh = cluster.bosh();
        Instant at = clock.instant();
        return Uni.createFrom().item(() -> pollBlocking(cluster, bosh, at))
                .runSubscriptionOn(threads)
                .ifNoItem().after(config.pollTimeout())
                .recoverWithItem(() -> BoshObservation.unreachable(cluster.id(), bosh.directorUrl(), bosh.deployment(),
                        at, "no answer within " + config.pollTimeout().toMillis() + " ms (cpr.monitor.bosh.poll-timeout)"))
                .onFailure().recoverWithItem(e -> BoshObservation.unreachable(cluster.id(), bosh.directorUrl(),
                        bosh.deployment(), at, e.toString()));
    }

    private BoshObservation pollBlocking(ClusterSpec cluster, BoshSpec bosh, Instant at) {
        BoshDirectorClient client;
        try {
            client = clients.computeIfAbsent(cluster.id(), id -> create(bosh));
        } catch (RuntimeException e) {
            // e.g. the secret's environment variable is not set: say so on every poll, as unreachable
            return BoshObservation.unreachable(cluster.id(), bosh.directorUrl(), bosh.deployment(), at,
                    "cannot configure the BOSH client: " + e.getMessage());
        }
        BoshInfo info;
        try {
            info = client.info();
        } catch (BoshException e) {
            LOG.debugf("cluster=%s BOSH director %s: /info failed: %s", cluster.id(), bosh.directorUrl(), e.getMessage());
            return BoshObservation.unreachable(cluster.id(), bosh.directorUrl(), bosh.deployment(), at, e.getMessage());
        }
        try {
            List<BoshInstanceView> instances = client.instances(bosh.deployment()).stream()
                    .map(BoshDirectorProbe::view).toList();
            return BoshObservation.seen(cluster.id(), bosh.directorUrl(), bosh.deployment(), at, info.name(), instances);
        } catch (BoshException e) {
            if (e instanceof BoshDirectorException d && d.code() != null
                    && d.code() == BoshDirectorException.DEPLOYMENT_NOT_FOUND) {
                return BoshObservation.deploymentUnknown(cluster.id(), bosh.directorUrl(), bosh.deployment(), at,
                        info.name(), e.getMessage());
            }
            LOG.warnf("cluster=%s BOSH director %s: instances of %s not read: %s", cluster.id(), bosh.directorUrl(),
                    bosh.deployment(), e.getMessage());
            return BoshObservation.instancesUnknown(cluster.id(), bosh.directorUrl(), bosh.deployment(), at,
                    info.name(), e.getMessage());
        }
    }

    private BoshDirectorClient create(BoshSpec bosh) {
        BoshDirectorConfig director = new BoshDirectorConfig(URI.create(bosh.directorUrl()),
                bosh.caCert() == null ? null : Path.of(bosh.caCert()), bosh.client(), bosh.resolveClientSecret(),
                config.connectTimeout(), config.requestTimeout(), config.taskPollInterval(), config.pollTimeout());
        return new BoshDirectorClient(director);
    }

    static BoshInstanceView view(BoshInstance i) {
        return new BoshInstanceView(i.jobName(), i.id(), i.index(), i.jobState(), i.state(), i.vmCid(), i.az(), i.ips(),
                i.processes().stream().map(p -> new BoshInstanceView.ProcessView(p.name(), p.state())).toList());
    }

    @PreDestroy
    void close() {
        threads.shutdownNow();
    }
}

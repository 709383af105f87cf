package dev.cpr.healthmonitor.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.HandshakeProbe;
import dev.cpr.contracts.tls.TlsMaterialException;
import dev.cpr.healthmonitor.app.KvHashCheck;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.KvHashVerdict;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The slow checks of one cluster, blocking (run them on a worker thread): every member's {@code HashKV} at one
 * revision (the lowest revision the members report, so every member has it), over gRPC because etcd 3.4's JSON
 * gateway maps HashKV onto Hash; and the quota from a member's {@code etcd_server_quota_backend_bytes} metric.
 * One jetcd client per member endpoint, so each call goes to the member it names.
 */
@ApplicationScoped
public class KvHashProbe implements KvHashCheck {

    private static final Logger LOG = Logger.getLogger(KvHashProbe.class);
    private static final Pattern QUOTA = Pattern.compile("(?m)^etcd_server_quota_backend_bytes\\s+(\\S+)$");

    private final Duration timeout;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> targets = new ConcurrentHashMap<>();
    private final HttpClient http;

    public KvHashProbe(MonitorConfig config) {
        this.timeout = config.hashCheck().callTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The members' KV hashes at one revision, compared; empty when fewer than two members answered. */
    public Optional<KvHashVerdict> hashes(ClusterSpec cluster) {
        Map<String, Long> revisions = new LinkedHashMap<>();
        for (MemberSpec member : cluster.members()) {
            call(cluster, member.clientUrl(), "status", c -> c.getMaintenanceClient().statusMember(target(member.clientUrl())))
                    .map(StatusResponse::getHeader)
                    .ifPresent(header -> revisions.put(member.name(), header.getRevision()));
        }
        if (revisions.size() < 2) {
            return Optional.empty();
        }
        long revision = revisions.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        Map<String, Long> hashes = new LinkedHashMap<>();
        Map<String, Long> compactions = new LinkedHashMap<>();
        for (MemberSpec member : cluster.members()) {
            if (!revisions.containsKey(member.name())) {
                continue;
            }
            Optional<HashKVResponse> hash = call(cluster, member.clientUrl(), "HashKV at " + revision,
                    c -> c.getMaintenanceClient().hashKV(target(member.clientUrl()), revision));
            hash.ifPresent(h -> {
                hashes.put(member.name(), Integer.toUnsignedLong(h.getHash()));
                compactions.put(member.name(), h.getCompacted());
            });
        }
        if (hashes.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(KvHashVerdict.compare(cluster.id(), revision, hashes, compactions));
    }

    /** The quota a member runs with, from its metrics; empty when no member answered with it. */
    public Optional<Long> quotaBytes(ClusterSpec cluster) {
        for (MemberSpec member : cluster.members()) {
            try {
                String url = member.clientUrl().endsWith("/") ? member.clientUrl() + "metrics"
                        : member.clientUrl() + "/metrics";
                HttpResponse<String> response = http(cluster, member).send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = QUOTA.matcher(response.body());
                if (response.statusCode() == 200 && m.find()) {
                    return Optional.of((long) Double.parseDouble(m.group(1)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (Exception e) {
                LOG.debugf("cluster=%s quota metric of %s: %s", cluster.id(), member.name(), e.toString());
            }
        }
        return Optional.empty();
    }

    private <T> Optional<T> call(ClusterSpec cluster, String clientUrl, String what,
            java.util.function.Function<Client, CompletableFuture<T>> request) {
        CompletableFuture<T> future = null;
        try {
            future = request.apply(client(cluster, clientUrl));
            return Optional.of(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            if (future != null) {
                future.cancel(true);
            }
            LOG.debugf("%s of %s: %s", what, clientUrl, e.toString());
            return Optional.empty();
        }
    }

    private Client client(ClusterSpec cluster, String clientUrl) {
        return clients.computeIfAbsent(clientUrl, url -> withTls(builder(url), cluster, url).build());
    }

    /** The cluster's client certificate on a member's client; the fast poll reports unusable TLS files. */
    private static ClientBuilder withTls(ClientBuilder builder, ClusterSpec cluster, String url) {
        if (cluster.tls() == null) {
            return builder;
        }
        ClientTls tls = ClientTls.load(cluster.id(), memberAt(cluster, url), cluster.tls(), Instant.now());
        try {
            return builder.sslContext(ssl -> ssl.trustManager(tls.trustManagerFactory())
                    .keyManager(tls.keyManagerFactory()));
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build the TLS client for " + url + ": " + e.getMessage(), e);
        }
    }

    private static String memberAt(ClusterSpec cluster, String url) {
        return cluster.members().stream().filter(m -> m.clientUrl().equals(url)).map(MemberSpec::name)
                .findFirst().orElse(url);
    }

    /** The JDK client for the metrics endpoint, with the cluster's client certificate where it has a tls: block. */
    private HttpClient http(ClusterSpec cluster, MemberSpec member) {
        if (cluster.tls() == null) {
            return http;
        }
        return HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .sslContext(ClientTls.load(cluster.id(), member.name(), cluster.tls(), Instant.now()).sslContext())
                .build();
    }

    /** One handshake per member: when its certificate ends. Members that fail it are left out (the poll says why). */
    @Override
    public Map<String, Instant> certificateEnds(ClusterSpec cluster) {
        if (cluster.tls() == null) {
            return Map.of();
        }
        Map<String, Instant> ends = new LinkedHashMap<>();
        for (MemberSpec member : cluster.members()) {
            try {
                ClientTls tls = ClientTls.load(cluster.id(), member.name(), cluster.tls(), Instant.now());
                HandshakeProbe.Outcome outcome = HandshakeProbe.probe(tls, member.name(), member.clientUrl(), timeout);
                outcome.memberCertificate().ifPresent(c -> ends.put(member.name(), c.getNotAfter().toInstant()));
                outcome.failure().ifPresent(f -> LOG.debugf("cluster=%s certificate of %s: %s", cluster.id(),
                        member.name(), f));
            } catch (TlsMaterialException e) {
                LOG.debugf("cluster=%s certificate of %s: %s", cluster.id(), member.name(), e.getMessage());
            }
        }
        return ends;
    }

    private String target(String clientUrl) {
        return targets.computeIfAbsent(clientUrl, url -> builder(url).target());
    }

    private static ClientBuilder builder(String url) {
        return Client.builder().endpoints(url)
                .connectTimeout(Duration.ofSeconds(1))
                .retryMaxDuration(Duration.ofMillis(500))
                .retryDelay(50)
                .retryMaxDelay(200)
                .waitForReady(false);
    }

    @PreDestroy
    void close() {
        clients.values().forEach(Client::close);
        clients.clear();
    }
}

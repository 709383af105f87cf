package dev.cpr.healthmonitor.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.healthmonitor.app.MemberStreams;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.MemberDropped;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A watch stream per member on etcd's v3 JSON gateway ({@code POST /v3/watch}), on a key nobody writes: it carries
 * nothing but its own life. It costs the member one idle HTTP stream and no request per second, and a killed member's
 * stream ends within milliseconds (the socket closes). A hung member keeps its socket open: the polls find that one.
 *
 * <p>Only a stream that was established (etcd answered {@code created}) reports a drop; a member that is down stays
 * quiet while it is retried every {@code cpr.monitor.streams.reconnect-interval}, so one crash is one signal.
 */
@ApplicationScoped
public class EtcdWatchStreams implements MemberStreams {

    private static final Logger LOG = Logger.getLogger(EtcdWatchStreams.class);
    private static final String QUIET_KEY = Base64.getEncoder()
            .encodeToString("/cpr/health-monitor/liveness".getBytes(StandardCharsets.UTF_8));

    private final Vertx vertx;
    private final Clock clock;
    private final Duration reconnect;
    private final Duration connectTimeout;
    private final boolean enabled;
    private final Map<String, ClusterStreams> followed = new HashMap<>();

    public EtcdWatchStreams(Vertx vertx, Clock clock, MonitorConfig config) {
        this.vertx = vertx;
        this.clock = clock;
        this.reconnect = config.streams().reconnectInterval();
        this.connectTimeout = config.requestTimeout();
        this.enabled = config.streams().enabled();
        if (!enabled) {
            LOG.info("member streams off (cpr.monitor.streams.enabled=false): crashes are found by the polls alone");
        }
    }

    @Override
    public synchronized void follow(List<ClusterSpec> clusters, Consumer<MemberDropped> onDrop) {
        if (!enabled) {
            return;
        }
        List<String> ids = clusters.stream().map(ClusterSpec::id).toList();
        followed.entrySet().removeIf(entry -> {
            if (ids.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
        for (ClusterSpec cluster : clusters) {
            followed.computeIfAbsent(cluster.id(), id -> new ClusterStreams(cluster, onDrop));
        }
    }

    /** How many members' streams are open now (etcd answered {@code created}). */
    public synchronized long established() {
        return followed.values().stream().flatMap(c -> c.members.stream()).filter(m -> m.established).count();
    }

    @PreDestroy
    synchronized void closeAll() {
        followed.values().forEach(ClusterStreams::close);
        followed.clear();
    }

    /** The streams of one cluster's members, over one client (a connection per member). */
    private final class ClusterStreams {

        private final HttpClient client;
        private final List<MemberStream> members;

        ClusterStreams(ClusterSpec cluster, Consumer<MemberDropped> onDrop) {
            this.client = vertx.createHttpClient(options(cluster.tls(), cluster.members().size()));
            this.members = cluster.members().stream()
                    .map(m -> new MemberStream(client, cluster.id(), m, onDrop))
                    .toList();
            members.forEach(MemberStream::open);
        }

        void close() {
            members.forEach(MemberStream::close);
            client.closeAndForget();
        }
    }

    /** One member's stream: open, report its end once, open it again. */
    private final class MemberStream {

        private final HttpClient client;
        private final String clusterId;
        private final MemberSpec member;
        private final Consumer<MemberDropped> onDrop;
        private volatile boolean closed;
        private volatile boolean established;
        private volatile Cancellable subscription;

        MemberStream(HttpClient client, String clusterId, MemberSpec member, Consumer<MemberDropped> onDrop) {
            this.client = client;
            this.clusterId = clusterId;
            this.member = member;
            this.onDrop = onDrop;
        }

        void open() {
            if (closed) {
                return;
            }
            established = false;
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(GatewayClients.stripSlash(member.clientUrl()) + "/v3/watch");
            String body = new JsonObject().put("create_request", new JsonObject().put("key", QUIET_KEY)).encode();
            subscription = client.request(request)
                    .chain(req -> req.send(body))
                    .onItem().transformToMulti(this::chunks)
                    .subscribe().with(chunk -> established = true, this::ended, () -> ended(null));
        }

        private Multi<Buffer> chunks(HttpClientResponse response) {
            if (response.statusCode() != 200) {
                return Multi.createFrom().failure(new IllegalStateException("HTTP " + response.statusCode()));
            }
            return response.toMulti();
        }

        private void ended(Throwable failure) {
            if (closed) {
                return;
            }
            if (established) {
                String reason = failure == null ? "stream ended" : failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
                LOG.infof("cluster=%s member=%s connection dropped (%s): polling the cluster now", clusterId,
                        member.name(), reason);
                onDrop.accept(new MemberDropped(clusterId, member.name(), clock.instant(), reason));
            }
            established = false;
            vertx.setTimer(reconnect.toMillis(), id -> open());
        }

        void close() {
            closed = true;
            Cancellable current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }

    private HttpClientOptions options(TlsSpec tls, int members) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setMaxPoolSize(Math.max(1, members))
                .setKeepAlive(true)
                .setIdleTimeout(0)
                .setSsl(tls != null);
        return GatewayClients.withTls(options, tls);
    }

}

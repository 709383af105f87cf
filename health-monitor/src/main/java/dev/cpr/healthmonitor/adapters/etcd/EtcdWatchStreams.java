package dev.cpr.healthmonitor.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.healthmonitor.app.MemberStreams;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.MemberDropped;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.WebSocket;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A watch stream per member on etcd's v3 JSON gateway, on a key nobody writes: it carries nothing but its own life.
 * It is a WebSocket ({@code /v3/watch}, which etcd's gateway serves through its websocket proxy), so that more than
 * the first request can be sent on it: every {@code progress-interval} it asks for a watch progress report (etcd
 * 3.4+), which etcd answers at once from its watch server.
 * <ul>
 *   <li>A killed member's stream ends within milliseconds (its socket closes): reported as dropped.</li>
 *   <li>A hung member (SIGSTOP, a wedged server) keeps its socket open, and the kernel even acknowledges what is sent,
 *       but nothing answers: after {@code progress-timeout} without a word it is reported as unanswered, once; the
 *       stream stays open (closing it would leave the member unwatched while it reconnects, and a false alarm on a
 *       loaded machine would then hide a real crash), and a member that answers again may be reported again.</li>
 *   <li>The monitor's own stall (a loaded machine, a GC pause) delays its timer as much as the answers: a tick that
 *       comes late judges nobody, it only starts the count again.</li>
 * </ul>
 * Either costs the member one idle connection and a few bytes a second; no request reaches the cluster's other
 * members. Only a stream that was established (etcd answered {@code created}) reports; a member that is down stays
 * quiet while it is retried every {@code reconnect-interval}, so one crash or hang is one signal.
 */
@ApplicationScoped
public class EtcdWatchStreams implements MemberStreams {

    private static final Logger LOG = Logger.getLogger(EtcdWatchStreams.class);
    private static final String QUIET_KEY = Base64.getEncoder()
            .encodeToString("/cpr/health-monitor/liveness".getBytes(StandardCharsets.UTF_8));
    private static final String CREATE = new JsonObject()
            .put("create_request", new JsonObject().put("key", QUIET_KEY)).encode();
    private static final String PROGRESS = new JsonObject().put("progress_request", new JsonObject()).encode();

    private final Vertx vertx;
    private final Clock clock;
    private final Duration reconnect;
    private final Duration connectTimeout;
    private final Duration progressInterval;
    private final Duration progressTimeout;
    private final boolean enabled;
    private final Map<String, ClusterStreams> followed = new HashMap<>();

    public EtcdWatchStreams(Vertx vertx, Clock clock, MonitorConfig config) {
        this.vertx = vertx;
        this.clock = clock;
        this.reconnect = config.streams().reconnectInterval();
        this.connectTimeout = config.requestTimeout();
        this.progressInterval = config.streams().progressInterval();
        this.progressTimeout = config.streams().progressTimeout();
        this.enabled = config.streams().enabled();
        if (!enabled) {
            LOG.info("member streams off (cpr.monitor.streams.enabled=false): crashes and hangs are found by the polls"
                    + " alone");
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
        return followed.values().stream().flatMap(c -> c.members.stream()).filter(MemberStream::established).count();
    }

    @Override
    public synchronized Optional<Boolean> open(String clusterId, String member) {
        ClusterStreams cluster = followed.get(clusterId);
        return cluster == null ? Optional.empty() : cluster.members.stream()
                .filter(stream -> stream.member.name().equals(member)).findFirst().map(MemberStream::established);
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
                    .map(m -> new MemberStream(client, cluster.id(), m, cluster.tls() != null, onDrop))
                    .toList();
            members.forEach(MemberStream::open);
        }

        void close() {
            members.forEach(MemberStream::close);
            client.closeAndForget();
        }
    }

    /** One member's stream: open, report its end (or its silence) once, open it again. */
    private final class MemberStream {

        private final HttpClient client;
        private final String clusterId;
        private final MemberSpec member;
        private final WebSocketConnectOptions connect;
        private final Consumer<MemberDropped> onDrop;
        private volatile boolean closed;
        private volatile Connection current;

        MemberStream(HttpClient client, String clusterId, MemberSpec member, boolean tls,
                Consumer<MemberDropped> onDrop) {
            this.client = client;
            this.clusterId = clusterId;
            this.member = member;
            this.onDrop = onDrop;
            URI url = URI.create(GatewayClients.stripSlash(member.clientUrl()));
            this.connect = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                    .setSsl(tls).setURI("/v3/watch").setTimeout(connectTimeout.toMillis());
        }

        boolean established() {
            Connection connection = current;
            return connection != null && connection.established;
        }

        void open() {
            if (closed) {
                return;
            }
            Connection connection = new Connection();
            current = connection;
            client.webSocket(connect).subscribe().with(connection::opened, connection::ended);
        }

        void close() {
            closed = true;
            Connection connection = current;
            if (connection != null) {
                connection.shut();
            }
        }

        /** One attempt: it ends once (closed or failed), and only an established one reports its end. */
        private final class Connection {

            private final AtomicBoolean over = new AtomicBoolean();
            private volatile boolean established;
            private volatile boolean silenceReported;
            private volatile Instant lastHeard;
            private volatile Instant lastTick;
            private volatile WebSocket socket;
            private volatile long ticks = -1;

            void opened(WebSocket webSocket) {
                socket = webSocket;
                webSocket.textMessageHandler(this::heard);
                webSocket.closeHandler(() -> ended(null));
                webSocket.exceptionHandler(this::ended);
                if (over.get() || closed) {
                    quietlyClose(webSocket);
                    return;
                }
                lastHeard = clock.instant();
                lastTick = lastHeard;
                webSocket.writeTextMessage(CREATE).subscribe().with(ok -> { }, failure -> { });
                ticks = vertx.setPeriodic(progressInterval.toMillis(), id -> tick());
            }

            private void heard(String message) {
                lastHeard = clock.instant();
                silenceReported = false;
                if (!established && message.contains("\"created\":true")) {
                    established = true;
                }
            }

            /** Asks for a progress report, unless the last word is already too old. */
            private void tick() {
                if (over.get()) {
                    return;
                }
                Instant now = clock.instant();
                boolean lateTick = Duration.between(lastTick, now).compareTo(progressInterval.multipliedBy(2)) > 0;
                lastTick = now;
                if (lateTick) {
                    // this process stalled: the member's answers may be waiting unread, so the count starts again
                    lastHeard = now;
                }
                Duration silent = Duration.between(lastHeard, now);
                if (established && !silenceReported && silent.compareTo(progressTimeout) > 0) {
                    silenceReported = true;
                    report(String.format("no answer to a watch progress request for %d ms", silent.toMillis()), true);
                }
                // a write on a socket closing under us fails; its close handler reports that
                socket.writeTextMessage(PROGRESS).subscribe().with(ok -> { }, failure -> { });
            }

            void ended(Throwable failure) {
                end(failure == null ? "stream ended" : failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
            }

            private void end(String reason) {
                if (!over.compareAndSet(false, true)) {
                    return;
                }
                stopTicks();
                quietlyClose(socket);
                if (closed) {
                    return;
                }
                if (established) {
                    report(reason, false);
                }
                established = false;
                vertx.setTimer(reconnect.toMillis(), id -> open());
            }

            private void report(String reason, boolean unanswered) {
                LOG.infof("cluster=%s member=%s %s (%s): polling the cluster now", clusterId, member.name(),
                        unanswered ? "stopped answering" : "connection dropped", reason);
                onDrop.accept(new MemberDropped(clusterId, member.name(), clock.instant(), reason, unanswered));
            }

            void shut() {
                over.set(true);
                stopTicks();
                quietlyClose(socket);
            }

            /** Closing a socket the member already closed fails, and says nothing new. */
            private void quietlyClose(WebSocket webSocket) {
                if (webSocket != null) {
                    webSocket.close().subscribe().with(ok -> { }, failure -> { });
                }
            }

            private void stopTicks() {
                if (ticks >= 0) {
                    vertx.cancelTimer(ticks);
                }
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

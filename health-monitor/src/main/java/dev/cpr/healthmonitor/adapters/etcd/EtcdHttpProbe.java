package dev.cpr.healthmonitor.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.HandshakeFailures;
import dev.cpr.contracts.tls.HandshakeProbe;
import dev.cpr.contracts.tls.TlsMaterialException;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.ClusterProbe;
import dev.cpr.healthmonitor.domain.EtcdMember;
import dev.cpr.healthmonitor.domain.MemberObservation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Polls etcd members over HTTP: {@code GET /health}, and the v3 JSON gateway's
 * {@code POST /v3/maintenance/status}, {@code /v3/cluster/member/list} and {@code /v3/maintenance/alarm}.
 *
 * <p>Why the JSON gateway and not jetcd: every call here is a non-blocking Vert.x request with its
 * own timeout, so a dead or hanging member costs one timeout and never a blocked thread; jetcd's
 * gRPC client spreads one channel over all endpoints (we need the answer of each member, not of
 * "the cluster") and its calls block on a dead endpoint until the deadline. The gateway is served by
 * every etcd 3.4+ member on its client URL, so no extra port or credentials are needed, and the
 * same client does {@code /health}, which jetcd does not expose. TLS (CA, client cert and key from
 * the inventory) is configured per cluster on the web client.
 *
 * <p>All requests to all members are sent at once; a cluster's poll completes when every request
 * answered or timed out, so it takes at most about one request timeout whatever the members do.
 */
@ApplicationScoped
public class EtcdHttpProbe implements ClusterProbe {

    private static final Logger LOG = Logger.getLogger(EtcdHttpProbe.class);

    private final Vertx vertx;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, WebClient> clients = new ConcurrentHashMap<>();

    public EtcdHttpProbe(Vertx vertx, Clock clock, MonitorConfig config) {
        this.vertx = vertx;
        this.clock = clock;
        this.timeout = config.requestTimeout();
    }

    @Override
    public CompletionStage<ClusterPoll> poll(ClusterSpec cluster) {
        return pollUni(cluster).subscribeAsCompletionStage();
    }

    /**
     * One poll of every member. A cluster whose TLS files cannot be used (missing, unreadable, an expired client
     * certificate), or whose every member fails the TLS handshake (a wrong CA, a client certificate the members
     * refuse), is not judged: the poll fails with that one reason, so cpr does not take it for a quorum loss.
     */
    public Uni<ClusterPoll> pollUni(ClusterSpec cluster) {
        var polledAt = clock.instant();
        if (cluster.tls() != null) {
            try {
                ClientTls.load(cluster.id(), cluster.members().get(0).name(), cluster.tls(), polledAt);
            } catch (TlsMaterialException e) {
                return Uni.createFrom().failure(e);
            }
        }
        WebClient client = clients.computeIfAbsent(cluster.id(), id -> createClient(cluster.tls()));
        List<Uni<MemberAnswers>> members = cluster.members().stream().map(m -> pollMember(client, cluster, m)).toList();
        return Uni.join().all(members).andFailFast()
                .map(answers -> toPoll(cluster, polledAt, answers))
                .invoke(EtcdHttpProbe::failIfTlsFailsEverywhere);
    }

    private static void failIfTlsFailsEverywhere(ClusterPoll poll) {
        List<String> reasons = poll.members().stream().map(MemberObservation::reason).toList();
        if (!reasons.isEmpty() && reasons.stream().allMatch(r -> r != null && r.startsWith(TLS_PREFIX))) {
            throw new TlsMaterialException(String.join("; ", reasons.stream().distinct().toList()), null, null);
        }
    }

    private static final String TLS_PREFIX = "TLS of cluster ";

    private Uni<MemberAnswers> pollMember(WebClient client, ClusterSpec cluster, MemberSpec member) {
        String base = GatewayClients.stripSlash(member.clientUrl());
        Uni<MemberObservation> health = bounded(client.getAbs(base + "/health").timeout(timeout.toMillis()).send())
                .map(response -> healthOf(member, response))
                .onFailure().recoverWithUni(e -> failureOf(cluster, member, e)
                        .map(reason -> MemberObservation.unhealthy(member.name(), member.clientUrl(), reason)));
        Uni<Optional<JsonObject>> status = gateway(client, base + "/v3/maintenance/status", new JsonObject());
        Uni<Optional<JsonObject>> memberList = gateway(client, base + "/v3/cluster/member/list", new JsonObject());
        Uni<Optional<JsonObject>> alarms = gateway(client, base + "/v3/maintenance/alarm",
                new JsonObject().put("action", "GET"));
        return Uni.combine().all().unis(health, status, memberList, alarms)
                .with((h, s, l, a) -> new MemberAnswers(withStatus(h, s), l, a));
    }

    /**
     * Why a member did not answer. Vert.x reports a failed handshake only as "Failed to create SSL connection", so
     * for a TLS failure one handshake of our own (on a worker thread: it blocks) says what it was: a wrong CA, a
     * refused client certificate.
     */
    private Uni<String> failureOf(ClusterSpec cluster, MemberSpec member, Throwable e) {
        var tls = HandshakeFailures.describe(cluster.id(), member.name(), cluster.tls(), e);
        if (tls.isEmpty() || cluster.tls() == null) {
            return Uni.createFrom().item(reasonOf(e));
        }
        return Uni.createFrom().item(() -> HandshakeProbe.probe(
                        ClientTls.load(cluster.id(), member.name(), cluster.tls(), clock.instant()),
                        member.name(), member.clientUrl(), timeout).failure().orElse(tls.get()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().recoverWithItem(tls.get());
    }

    /** A gateway call; empty when the member did not answer with a JSON object in time. */
    private Uni<Optional<JsonObject>> gateway(WebClient client, String url, JsonObject body) {
        return bounded(client.postAbs(url).timeout(timeout.toMillis()).sendJsonObject(body))
                .map(response -> response.statusCode() == 200
                        ? Optional.of(response.bodyAsJsonObject())
                        : Optional.<JsonObject>empty())
                .onFailure().recoverWithItem(Optional.empty());
    }

    /** The Vert.x timeout covers a silent server; this caps connect + TLS + body as well. */
    private Uni<HttpResponse<Buffer>> bounded(Uni<HttpResponse<Buffer>> request) {
        return request.ifNoItem().after(timeout.plusMillis(200)).failWith(TimeoutException::new);
    }

    private MemberObservation healthOf(MemberSpec member, HttpResponse<Buffer> response) {
        JsonObject body = parse(response);
        String health = body == null ? null : body.getString("health");
        if (response.statusCode() == 200 && "true".equals(health)) {
            return MemberObservation.healthy(member.name(), member.clientUrl());
        }
        String reason = body == null ? null : body.getString("reason");
        return MemberObservation.unhealthy(member.name(), member.clientUrl(),
                "health=" + health + (reason == null || reason.isBlank() ? "" : " " + reason)
                        + " (HTTP " + response.statusCode() + ")");
    }

    private static MemberObservation withStatus(MemberObservation health, Optional<JsonObject> status) {
        if (status.isEmpty()) {
            return health;
        }
        JsonObject s = status.get();
        JsonObject header = s.getJsonObject("header", new JsonObject());
        String memberId = header.getString("member_id");
        boolean leader = memberId != null && memberId.equals(s.getString("leader"));
        Long leaderId = number(s.getValue("leader"));
        boolean hasLeader = leaderId != null && leaderId != 0;
        // an alarm turns /health false on every member; the status says whether the member still has a leader
        return new MemberObservation(health.name(), health.clientUrl(), health.healthy(), health.reason(),
                leader && (health.healthy() || hasLeader), number(s.getValue("raftIndex")),
                number(header.getValue("revision")), health.healthy() || hasLeader, number(s.getValue("dbSize")),
                number(s.getValue("dbSizeInUse")));
    }

    private static ClusterPoll toPoll(ClusterSpec cluster, java.time.Instant polledAt, List<MemberAnswers> answers) {
        List<MemberObservation> observations = answers.stream().map(MemberAnswers::observation).toList();
        // Prefer what a healthy member says: a member cut off from the others may have a stale view.
        List<MemberAnswers> preferred = new ArrayList<>(answers.stream().filter(a -> a.observation().healthy()).toList());
        answers.stream().filter(a -> !a.observation().healthy()).forEach(preferred::add);
        Optional<List<EtcdMember>> memberList = preferred.stream()
                .flatMap(a -> a.memberList().stream())
                .findFirst()
                .map(EtcdHttpProbe::members);
        List<String> alarms = preferred.stream()
                .flatMap(a -> a.alarms().stream())
                .findFirst()
                .map(json -> alarms(json, memberList.orElse(List.of())))
                .orElse(List.of());
        return new ClusterPoll(cluster.id(), polledAt, observations, memberList, alarms);
    }

    private static List<EtcdMember> members(JsonObject json) {
        JsonArray array = json.getJsonArray("members", new JsonArray());
        List<EtcdMember> members = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject m = array.getJsonObject(i);
            members.add(new EtcdMember(String.valueOf(m.getValue("ID")), m.getString("name", ""),
                    m.getBoolean("isLearner", false)));
        }
        return members;
    }

    private static List<String> alarms(JsonObject json, List<EtcdMember> members) {
        JsonArray array = json.getJsonArray("alarms", new JsonArray());
        LinkedHashSet<String> alarms = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject a = array.getJsonObject(i);
            String id = String.valueOf(a.getValue("memberID"));
            String member = members.stream().filter(m -> m.id().equals(id)).map(EtcdMember::name)
                    .findFirst().orElse(id);
            alarms.add(a.getString("alarm", "NONE") + " on " + member);
        }
        return List.copyOf(alarms);
    }

    private static JsonObject parse(HttpResponse<Buffer> response) {
        try {
            return response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long number(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(value.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String reasonOf(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
                return MemberObservation.NO_ANSWER + timeout.toMillis() + " ms";
            }
            if (cause instanceof ConnectException) {
                return MemberObservation.REFUSED;
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private WebClient createClient(TlsSpec tls) {
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(8)
                .setUserAgent("cpr-health-monitor");
        return WebClient.create(vertx, GatewayClients.withTls(options, tls));
    }

    @PreDestroy
    void close() {
        clients.values().forEach(WebClient::close);
        LOG.debug("etcd web clients closed");
    }

    private record MemberAnswers(MemberObservation observation, Optional<JsonObject> memberList,
            Optional<JsonObject> alarms) {
    }
}

package dev.cpr.restore.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.HandshakeFailures;
import dev.cpr.contracts.tls.HandshakeProbe;
import dev.cpr.contracts.tls.TlsEndpoint;
import dev.cpr.contracts.tls.TlsMaterialException;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMember;
import dev.cpr.restore.domain.etcd.MemberStatus;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.CompactOption;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * {@link EtcdAdmin} over jetcd 0.7.7. One client per member endpoint, so a call goes to the member it
 * names (a snapshot from a chosen healthy member, the status of one member); cluster-wide calls go to
 * the first member that answers a status request. Every call is blocking with a timeout: run it on a
 * worker thread.
 */
@ApplicationScoped
public class JetcdEtcdAdmin implements EtcdAdmin {

    private static final Logger LOG = Logger.getLogger(JetcdEtcdAdmin.class);

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> targets = new ConcurrentHashMap<>();
    /** Per cluster id, the client URL that answered last: asked first next time. */
    private final Map<String, String> lastReachable = new ConcurrentHashMap<>();
    private final Duration callTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Duration statusTimeout;

    /** The inventory's TLS members by client URL: a URL found here is reached with its cluster's client certificate. */
    private final Map<String, TlsEndpoint> tlsEndpoints;
    private final Map<String, HttpClient> tlsHttp = new ConcurrentHashMap<>();
    /** Per client URL, why its last status request failed, when that was TLS: said when no member answers. */
    private final Map<String, String> tlsFailures = new ConcurrentHashMap<>();

    /** Plain-HTTP clusters only: every URL is reached without TLS. */
    public JetcdEtcdAdmin(RestoreConfig config) {
        this(config, null);
    }

    @jakarta.inject.Inject
    public JetcdEtcdAdmin(RestoreConfig config, Inventory inventory) {
        this.callTimeout = config.etcd().callTimeout();
        this.statusTimeout = config.etcd().statusTimeout();
        this.tlsEndpoints = TlsEndpoint.index(inventory);
    }

    @Override
    public List<EtcdMember> members(ClusterSpec cluster) {
        Client client = reachable(cluster);
        return call("member list of " + cluster.id(), client.getClusterClient().listMember(), callTimeout)
                .getMembers().stream().map(JetcdEtcdAdmin::member).toList();
    }

    @Override
    public void removeMember(ClusterSpec cluster, long memberId) {
        Client client = reachable(cluster);
        call("member remove " + Long.toHexString(memberId), client.getClusterClient().removeMember(memberId), callTimeout);
    }

    @Override
    public EtcdMember addMember(ClusterSpec cluster, String peerUrl) {
        Client client = reachable(cluster);
        return member(call("member add " + peerUrl,
                client.getClusterClient().addMember(List.of(URI.create(peerUrl))), callTimeout).getMember());
    }

    @Override
    public Optional<String> version(String clientUrl) {
        try {
            return Optional.of(client(clientUrl).getMaintenanceClient().statusMember(target(clientUrl))
                    .get(statusTimeout.toMillis(), TimeUnit.MILLISECONDS).getVersion());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debugf("version of %s: %s", clientUrl, reason(e));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Optional<MemberStatus> status(String clientUrl) {
        try {
            StatusResponse status = client(clientUrl).getMaintenanceClient().statusMember(target(clientUrl))
                    .get(statusTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(new MemberStatus(clientUrl, status.getHeader().getMemberId(), status.getLeader(),
                    status.getRaftIndex(), status.getHeader().getRevision()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("status of %s: %s", clientUrl, reason(e));
            TlsEndpoint tls = tlsEndpoints.get(TlsEndpoint.key(clientUrl));
            if (tls != null) {
                // a busy member may time out before the channel reports its failed handshake: one of our own says
                Optional<String> reason = HandshakeFailures.describe(tls.clusterId(), tls.member(), tls.tls(), e)
                        .or(() -> HandshakeProbe.probe(clientTls(clientUrl).orElseThrow(), tls.member(), clientUrl,
                                statusTimeout).failure().filter(r -> !r.contains("no TLS answer")));
                reason.ifPresentOrElse(r -> tlsFailures.put(clientUrl, r), () -> tlsFailures.remove(clientUrl));
            }
            return Optional.empty();
        }
    }

    @Override
    public Keyspace keyspace(ClusterSpec cluster) {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        GetResponse response = call("key count of " + cluster.id(), reachable(cluster).getKVClient()
                .get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build()), callTimeout);
        return new Keyspace(response.getCount(), response.getHeader().getRevision());
    }

    /** PUT of every leaf key (and empty directory) of a v2 export, streamed one node at a time. */
    @Override
    public long putV2(String clientUrl, Path export) {
        try (JsonParser parser = new JsonFactory().createParser(export.toFile())) {
            long keys = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && "node".equals(parser.currentName())) {
                    parser.nextToken();
                    keys += putV2Node(parser, clientUrl);
                }
            }
            return keys;
        } catch (IOException e) {
            throw new EtcdAdminException("v2 restore into " + clientUrl + ": " + e.getMessage(), e);
        }
    }

    private long putV2Node(JsonParser parser, String clientUrl) throws IOException {
        String key = null;
        String value = null;
        boolean dir = false;
        boolean children = false;
        long keys = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("the v2 export is truncated");
            }
            String field = parser.currentName();
            JsonToken value0 = parser.nextToken();
            switch (field) {
                case "key" -> key = parser.getValueAsString();
                case "value" -> value = parser.getValueAsString();
                case "dir" -> dir = value0 == JsonToken.VALUE_TRUE;
                case "nodes" -> {
                    for (JsonToken child = parser.nextToken(); child != JsonToken.END_ARRAY; child = parser.nextToken()) {
                        children = true;
                        keys += putV2Node(parser, clientUrl);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (key == null || key.equals("/") || (dir && children)) {
            return keys;
        }
        String form = dir ? "dir=true" : "value=" + URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
        HttpResponse<String> response = v2(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys" + v2Path(key)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form)));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("PUT " + key + " was refused: HTTP " + response.statusCode() + " " + response.body()
                    + " (does the member run with --enable-v2?)");
        }
        return dir ? keys : keys + 1;
    }

    @Override
    public long countV2(String clientUrl) {
        try {
            HttpResponse<String> response = v2(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys/?recursive=true")).GET());
            if (response.statusCode() == 404 && response.body().contains("\"errorCode\":100")) {
                return 0;
            }
            if (response.statusCode() != 200) {
                throw new EtcdAdminException("GET /v2/keys of " + clientUrl + ": HTTP " + response.statusCode());
            }
            return leaves(new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("node"));
        } catch (IOException e) {
            throw new EtcdAdminException("GET /v2/keys of " + clientUrl + ": " + e.getMessage(), e);
        }
    }

    private static long leaves(com.fasterxml.jackson.databind.JsonNode node) {
        if (!node.path("dir").asBoolean(false)) {
            return node.has("key") ? 1 : 0;
        }
        long n = 0;
        for (com.fasterxml.jackson.databind.JsonNode child : node.path("nodes")) {
            n += leaves(child);
        }
        return n;
    }

    private HttpResponse<String> v2(HttpRequest.Builder request) throws IOException {
        try {
            HttpRequest built = request.timeout(callTimeout).build();
            String member = built.uri().getScheme() + "://" + built.uri().getRawAuthority();
            return http(member).send(built, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String v2Path(String key) {
        StringBuilder path = new StringBuilder();
        for (String segment : key.split("/")) {
            if (!segment.isEmpty()) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return path.toString();
    }

    @Override
    public long snapshot(String clientUrl, Path target) {
        try (OutputStream out = Files.newOutputStream(target)) {
            return call("snapshot from " + clientUrl, client(clientUrl).getMaintenanceClient().snapshot(out),
                    callTimeout.multipliedBy(10));
        } catch (IOException e) {
            throw new EtcdAdminException("cannot write snapshot " + target + ": " + e.getMessage(), e);
        }
    }

    /** From the v3 JSON gateway's status: jetcd 0.7.7's status does not carry {@code dbSizeInUse}. */
    @Override
    public Optional<MemberSpace> space(String clientUrl) {
        try {
            // with the member's client certificate where it serves TLS, as every other call here
            HttpResponse<String> response = http(clientUrl).send(HttpRequest.newBuilder(URI.create(base(clientUrl)
                    + "/v3/maintenance/status")).timeout(statusTimeout.plusSeconds(1))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            var json = JSON.readTree(response.body());
            String memberId = json.path("header").path("member_id").asText("");
            String leader = json.path("leader").asText("");
            return Optional.of(new MemberSpace(clientUrl, json.path("dbSize").asLong(-1),
                    json.path("dbSizeInUse").asLong(-1), !leader.isEmpty() && !"0".equals(leader) && leader.equals(memberId)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("space of %s: %s", clientUrl, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void compact(ClusterSpec cluster, long revision) {
        call("compact at " + revision, reachable(cluster).getKVClient().compact(revision,
                CompactOption.builder().withCompactPhysical(true).build()), callTimeout.multipliedBy(10));
    }

    @Override
    public void defragment(String clientUrl) {
        call("defragment " + clientUrl, client(clientUrl).getMaintenanceClient().defragmentMember(target(clientUrl)),
                callTimeout.multipliedBy(30));
    }

    @Override
    public List<Alarm> alarms(ClusterSpec cluster) {
        return call("alarm list of " + cluster.id(), reachable(cluster).getMaintenanceClient().listAlarms(), callTimeout)
                .getAlarms().stream()
                // jetcd 0.7.7 knows NOSPACE only; CORRUPT arrives as UNRECOGNIZED
                .map(a -> new Alarm(a.getMemberId(), a.getAlarmType() == AlarmType.NOSPACE ? "NOSPACE"
                        : a.getAlarmType() == AlarmType.UNRECOGNIZED ? "CORRUPT" : a.getAlarmType().name()))
                .toList();
    }

    @Override
    public void disarm(ClusterSpec cluster, Alarm alarm) {
        if (!"NOSPACE".equals(alarm.type())) {
            throw new EtcdAdminException("only NOSPACE alarms are disarmed here, not " + alarm.type());
        }
        call("alarm disarm NOSPACE on " + Long.toHexString(alarm.memberId()), reachable(cluster).getMaintenanceClient()
                .alarmDisarm(new AlarmMember(alarm.memberId(), AlarmType.NOSPACE)), callTimeout);
    }

    @Override
    public void putAndDelete(ClusterSpec cluster, String key) {
        Client client = reachable(cluster);
        ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
        call("put " + key, client.getKVClient().put(k, ByteSequence.from("ok", StandardCharsets.UTF_8)), callTimeout);
        call("delete " + key, client.getKVClient().delete(k), callTimeout);
    }

    @Override
    public Optional<String> clusterVersion(String clientUrl) {
        try {
            HttpResponse<String> response = http(clientUrl).send(HttpRequest.newBuilder(URI.create(base(clientUrl) + "/version"))
                    .timeout(statusTimeout.plusSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String cluster = response.statusCode() == 200 ? JSON.readTree(response.body()).path("etcdcluster").asText("") : "";
            return cluster.isEmpty() ? Optional.empty() : Optional.of(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cluster version of %s: %s", clientUrl, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public Optional<Long> quotaBytes(String clientUrl) {
        try {
            HttpResponse<String> response = http(clientUrl).send(HttpRequest.newBuilder(URI.create(base(clientUrl) + "/metrics"))
                    .timeout(statusTimeout.plusSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher m = QUOTA.matcher(response.body());
            return response.statusCode() == 200 && m.find()
                    ? Optional.of((long) Double.parseDouble(m.group(1))) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("quota metric of %s: %s", clientUrl, e.toString());
            return Optional.empty();
        }
    }

    private static final java.util.regex.Pattern QUOTA =
            java.util.regex.Pattern.compile("(?m)^etcd_server_quota_backend_bytes\\s+(\\S+)$");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String base(String clientUrl) {
        return clientUrl.endsWith("/") ? clientUrl.substring(0, clientUrl.length() - 1) : clientUrl;
    }

    /** The client of the first member that answers a status request. */
    private Client reachable(ClusterSpec cluster) {
        String last = lastReachable.get(cluster.id());
        if (last != null && status(last).isPresent()) {
            return client(last);
        }
        for (MemberSpec member : cluster.members()) {
            if (!member.clientUrl().equals(last) && status(member.clientUrl()).isPresent()) {
                lastReachable.put(cluster.id(), member.clientUrl());
                return client(member.clientUrl());
            }
        }
        List<String> tls = cluster.members().stream().map(m -> tlsFailures.get(m.clientUrl()))
                .filter(java.util.Objects::nonNull).distinct().toList();
        throw new EtcdAdminException("no member of " + cluster.id() + " answers (" + cluster.clientEndpoints() + ")"
                + (tls.isEmpty() ? "" : ": " + String.join("; ", tls)));
    }

    private Client client(String clientUrl) {
        return clients.computeIfAbsent(clientUrl, url -> builder(url).build());
    }

    private String target(String clientUrl) {
        return targets.computeIfAbsent(clientUrl, url -> builder(url).target());
    }

    private ClientBuilder builder(String url) {
        ClientBuilder builder = Client.builder().endpoints(url)
                .connectTimeout(Duration.ofSeconds(1))
                .retryMaxDuration(Duration.ofMillis(500))
                .retryDelay(50)
                .retryMaxDelay(200)
                .waitForReady(false);
        Optional<ClientTls> tls = clientTls(url);
        if (tls.isPresent()) {
            try {
                builder.sslContext(ssl -> ssl.trustManager(tls.get().trustManagerFactory())
                        .keyManager(tls.get().keyManagerFactory()));
            } catch (javax.net.ssl.SSLException e) {
                throw new EtcdAdminException("cannot build the TLS client for " + url + ": " + e.getMessage(), e);
            }
        }
        return builder;
    }

    /**
     * The member's TLS material, read and checked again for each new client, so a replaced file is picked up.
     *
     * @throws EtcdAdminException naming the cluster, member and file when the material cannot be used
     */
    private Optional<ClientTls> clientTls(String url) {
        TlsEndpoint endpoint = tlsEndpoints.get(TlsEndpoint.key(url));
        if (endpoint == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClientTls.load(endpoint.clusterId(), endpoint.member(), endpoint.tls(),
                    java.time.Instant.now()));
        } catch (TlsMaterialException e) {
            throw new EtcdAdminException(e.getMessage(), e);
        }
    }

    /** The JDK client for the v2 API and the metrics endpoint: with the member's TLS material where it has some. */
    private HttpClient http(String url) {
        Optional<ClientTls> tls = clientTls(url);
        if (tls.isEmpty()) {
            return http;
        }
        return tlsHttp.computeIfAbsent(TlsEndpoint.key(url), key -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls.get().sslContext()).build());
    }

    private static EtcdMember member(Member m) {
        return new EtcdMember(m.getId(), m.getName(),
                m.getPeerURIs().stream().map(JetcdEtcdAdmin::url).toList(),
                m.getClientURIs().stream().map(JetcdEtcdAdmin::url).toList());
    }

    /** etcd lists {@code http://127.0.0.1:2380}; URI.toString keeps that form. */
    private static String url(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static <T> T call(String what, CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EtcdAdminException(what + " interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EtcdAdminException(what + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new EtcdAdminException(what + ": " + reason(e), e.getCause());
        }
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    @PreDestroy
    public void close() {
        clients.values().forEach(Client::close);
        clients.clear();
    }
}

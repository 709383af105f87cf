package dev.cpr.restore.adapters.etcd;

import dev.cpr.restore.domain.etcd.EtcdAdmin.EtcdAdminException;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.HandshakeFailures;
import dev.cpr.contracts.tls.HandshakeProbe;
import dev.cpr.contracts.tls.TlsEndpoint;
import dev.cpr.contracts.tls.TlsMaterialException;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The clients that reach one etcd member by its client URL: a jetcd client (one per member, so a call goes to the
 * member it names) and a JDK HTTP client for the member's JSON gateway, v2 API and metrics. A URL the inventory
 * lists under a TLS cluster is reached with that cluster's client certificate, read and checked again for each new
 * client so a replaced file is picked up; material that cannot be used is an {@link EtcdAdminException} naming the
 * cluster, member and file.
 */
final class MemberConnections implements AutoCloseable {

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> targets = new ConcurrentHashMap<>();
    private final HttpClient plainHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, HttpClient> tlsHttp = new ConcurrentHashMap<>();
    /** The inventory's TLS members by client URL. */
    private final Map<String, TlsEndpoint> tlsEndpoints;
    /** Per client URL, why its last status request failed, when that was TLS: said when no member answers. */
    private final Map<String, String> tlsFailures = new ConcurrentHashMap<>();

    /** @param inventory null for plain-HTTP clusters only */
    MemberConnections(Inventory inventory) {
        this.tlsEndpoints = TlsEndpoint.index(inventory);
    }

    Client client(String clientUrl) {
        return clients.computeIfAbsent(clientUrl, url -> builder(url).build());
    }

    /** The member's target as jetcd's per-member maintenance calls want it. */
    String target(String clientUrl) {
        return targets.computeIfAbsent(clientUrl, url -> builder(url).target());
    }

    /** The JDK client for the member's HTTP endpoints: with the member's TLS material where it has some. */
    HttpClient http(String url) {
        Optional<ClientTls> tls = clientTls(url);
        if (tls.isEmpty()) {
            return plainHttp;
        }
        return tlsHttp.computeIfAbsent(TlsEndpoint.key(url), key -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls.get().sslContext()).build());
    }

    /**
     * Remembers whether a failed status request to a TLS member was a handshake failure, so "no member answers"
     * can say why.
     */
    void noteStatusFailure(String clientUrl, Exception failure, Duration timeout) {
        TlsEndpoint tls = tlsEndpoints.get(TlsEndpoint.key(clientUrl));
        if (tls == null) {
            return;
        }
        // a busy member may time out before the channel reports its failed handshake: one of our own says
        Optional<String> reason = HandshakeFailures.describe(tls.clusterId(), tls.member(), tls.tls(), failure)
                .or(() -> HandshakeProbe.probe(clientTls(clientUrl).orElseThrow(), tls.member(), clientUrl,
                        timeout).failure().filter(r -> !r.contains("no TLS answer")));
        reason.ifPresentOrElse(r -> tlsFailures.put(clientUrl, r), () -> tlsFailures.remove(clientUrl));
    }

    Optional<String> tlsFailure(String clientUrl) {
        return Optional.ofNullable(tlsFailures.get(clientUrl));
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
            } catch (SSLException e) {
                throw new EtcdAdminException("cannot build the TLS client for " + url + ": " + e.getMessage(), e);
            }
        }
        return builder;
    }

    private Optional<ClientTls> clientTls(String url) {
        TlsEndpoint endpoint = tlsEndpoints.get(TlsEndpoint.key(url));
        if (endpoint == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClientTls.load(endpoint.clusterId(), endpoint.member(), endpoint.tls(), Instant.now()));
        } catch (TlsMaterialException e) {
            throw new EtcdAdminException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(Client::close);
        clients.clear();
    }
}

package dev.cpr.backup.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.TlsMaterialException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** jetcd clients bound to ONE endpoint, so every call is answered by the member we mean. */
final class EtcdClients {

    /** {@code \0} with range end {@code \0}: every key. */
    private static final ByteSequence ALL = ByteSequence.from(new byte[] {0});

    private EtcdClients() {
    }

    /** A plain-HTTP client: the drills' scratch etcd. */
    static Client forEndpoint(String endpoint, Duration connectTimeout) {
        return Client.builder().endpoints(endpoint).connectTimeout(connectTimeout).build();
    }

    /**
     * A watch catching up sends up to 1,000 revisions in one response; past gRPC's 4 MiB default inbound limit jetcd's
     * watch then receives nothing and reports no error, so the change log's recorder would stall silently behind a few
     * MB of history (measured: 0 of 15,000 events with the default, all with 64 MiB). 256 MiB holds 1,000 revisions
     * of 256 KiB; 1,000 revisions near etcd's 1.5 MiB request limit would still not fit (NOTES.md).
     */
    static final int MAX_INBOUND_MESSAGE_BYTES = 256 * 1024 * 1024;

    /**
     * A client of one member, presenting the cluster's client certificate when the inventory gives it a {@code tls:}
     * block; the files are read and checked first.
     *
     * @throws TlsMaterialException naming the cluster, member and file when they cannot be used
     */
    static Client forMember(ClusterSpec cluster, MemberSpec member, Duration connectTimeout) {
        ClientBuilder builder = Client.builder().endpoints(member.clientUrl()).connectTimeout(connectTimeout);
        TlsSpec tls = cluster.tls();
        if (tls != null) {
            ClientTls material = ClientTls.load(cluster.id(), member.name(), tls, Instant.now());
            try {
                builder.sslContext(ssl -> ssl.trustManager(material.trustManagerFactory())
                        .keyManager(material.keyManagerFactory()));
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS context for " + member.clientUrl() + ": "
                        + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /**
     * A client of every member of the cluster (it moves to another when one fails), with the cluster's client
     * certificate when the inventory gives it a {@code tls:} block.
     */
    static Client forCluster(ClusterSpec cluster, Duration connectTimeout) {
        ClientBuilder builder = Client.builder()
                .endpoints(cluster.members().stream().map(MemberSpec::clientUrl).toArray(String[]::new))
                .connectTimeout(connectTimeout)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
        TlsSpec tls = cluster.tls();
        if (tls != null) {
            ClientTls material = ClientTls.load(cluster.id(), null, tls, Instant.now());
            try {
                builder.sslContext(ssl -> ssl.trustManager(material.trustManagerFactory())
                        .keyManager(material.keyManagerFactory()));
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS context of cluster " + cluster.id() + ": "
                        + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /** Linearizable count of every key, with the revision it was counted at. */
    static GetResponse countAll(KV kv, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return kv.get(ALL, GetOption.builder().withRange(ALL).withCountOnly(true).build())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}

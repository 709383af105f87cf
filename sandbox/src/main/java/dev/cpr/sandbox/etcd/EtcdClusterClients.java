package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.tls.ClientTls;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.time.Instant;
import javax.net.ssl.SSLException;

/**
 * The jetcd clients of an {@link EtcdCluster}, carrying the cluster's client certificate where it serves TLS: one
 * shared client on every member, built on first use, and builders on chosen members for per-member calls.
 */
final class EtcdClusterClients implements AutoCloseable {

    private final ClusterSpec spec;
    /** The cluster's client TLS material; null for a plain-HTTP cluster. */
    private final ClientTls tls;
    private Client shared;

    EtcdClusterClients(ClusterSpec spec) {
        this.spec = spec;
        this.tls = spec.tls() == null ? null : ClientTls.load(spec.id(), null, spec.tls(), Instant.now());
    }

    /** @return null for a plain-HTTP cluster */
    ClientTls tls() {
        return tls;
    }

    synchronized Client shared() {
        if (shared == null) {
            shared = builder(spec.members().stream().map(MemberSpec::clientUrl).toArray(String[]::new)).build();
        }
        return shared;
    }

    ClientBuilder builder(String... endpoints) {
        ClientBuilder builder = Client.builder().endpoints(endpoints);
        if (tls != null) {
            try {
                builder.sslContext(ssl -> ssl.trustManager(tls.trustManagerFactory())
                        .keyManager(tls.keyManagerFactory()));
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS client of '" + spec.id() + "'", e);
            }
        }
        return builder;
    }

    @Override
    public synchronized void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}

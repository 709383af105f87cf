package dev.cpr.backup.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.io.File;
import java.time.Duration;
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

    static Client forEndpoint(String endpoint, TlsSpec tls, Duration connectTimeout) {
        ClientBuilder builder = Client.builder().endpoints(endpoint).connectTimeout(connectTimeout);
        if (tls != null) {
            try {
                builder.sslContext(ssl -> {
                    if (tls.caFile() != null) {
                        ssl.trustManager(new File(tls.caFile()));
                    }
                    if (tls.certFile() != null && tls.keyFile() != null) {
                        ssl.keyManager(new File(tls.certFile()), new File(tls.keyFile()));
                    }
                });
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS context for " + endpoint + ": " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    static Client forMember(ClusterSpec cluster, String clientUrl, Duration connectTimeout) {
        return forEndpoint(clientUrl, cluster.tls(), connectTimeout);
    }

    /** Linearizable count of every key, with the revision it was counted at. */
    static GetResponse countAll(KV kv, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return kv.get(ALL, GetOption.builder().withRange(ALL).withCountOnly(true).build())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}

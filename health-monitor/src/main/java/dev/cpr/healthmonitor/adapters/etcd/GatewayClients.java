package dev.cpr.healthmonitor.adapters.etcd;

import dev.cpr.contracts.inventory.TlsSpec;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** What the probe's and the streams' HTTP clients to etcd's JSON gateway share: the cluster's TLS, member URLs. */
final class GatewayClients {

    private GatewayClients() {
    }

    /** The inventory's CA, client certificate and key on {@code options}; nothing for a plain-HTTP cluster. */
    static <T extends HttpClientOptions> T withTls(T options, TlsSpec tls) {
        if (tls == null) {
            return options;
        }
        if (tls.caFile() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
        }
        if (tls.certFile() != null && tls.keyFile() != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
        }
        return options;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

package dev.cpr.contracts.tls;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * A member's client URL with the TLS material of its cluster: for the calls that only know a URL (a member's
 * status, a snapshot from one member) and must still present the cluster's client certificate.
 */
public record TlsEndpoint(String clusterId, String member, TlsSpec tls) {

    /** Every member of every cluster that has a {@code tls:} block, by client URL (no trailing slash). */
    public static Map<String, TlsEndpoint> index(Inventory inventory) {
        Map<String, TlsEndpoint> index = new HashMap<>();
        if (inventory == null || inventory.clusters() == null) {
            return Map.of();
        }
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.tls() == null) {
                continue;
            }
            for (MemberSpec member : cluster.members()) {
                index.put(key(member.clientUrl()), new TlsEndpoint(cluster.id(), member.name(), cluster.tls()));
            }
        }
        return Map.copyOf(index);
    }

    /** The URL as {@link #index} keys it. */
    public static String key(String clientUrl) {
        return clientUrl.endsWith("/") ? clientUrl.substring(0, clientUrl.length() - 1) : clientUrl;
    }
}

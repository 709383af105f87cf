package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Judges an {@link EtcdCluster}'s members by their {@code /health} endpoint (with the cluster's client certificate
 * where it serves TLS) and waits for all of them, failing with what their logs say when they do not come up.
 */
final class EtcdClusterHealth {

    private static final HttpClient PLAIN = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final ClusterSpec spec;
    private final Map<String, LocalEtcdMember> members;
    private final HttpClient http;

    /** @param tls the cluster's client material; null for a plain-HTTP cluster */
    EtcdClusterHealth(ClusterSpec spec, Map<String, LocalEtcdMember> members, ClientTls tls) {
        this.spec = spec;
        this.members = members;
        this.http = tls == null ? PLAIN : HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls.sslContext())
                .build();
    }

    boolean isHealthy(MemberSpec member) {
        try {
            // 2 s, not a monitor's 1 s: this judges tests and scenarios, which must not fail on a busy machine
            HttpRequest request = HttpRequest.newBuilder(URI.create(member.clientUrl() + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @throws IllegalStateException on timeout, naming the unhealthy members with their log tails */
    void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            failIfPortTaken();
            List<String> unhealthy = members.keySet().stream().filter(n -> !isHealthy(member(n))).toList();
            if (unhealthy.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder message = new StringBuilder("etcd cluster '" + spec.id() + "': members " + unhealthy
                        + " not healthy after " + timeout.toSeconds() + " s");
                for (String name : unhealthy) {
                    LocalEtcdMember member = members.get(name);
                    message.append("\n").append(name).append(" (").append(member(name).clientUrl()).append(") process ")
                            .append(member.isRunning() ? "running" : "NOT running").append("\n")
                            .append(Logs.tail(member.logFile(), 15));
                }
                throw new IllegalStateException(message.toString());
            }
            sleep(100);
        }
    }

    /**
     * A member whose port was taken by another process before it bound it exits at once, saying so in its
     * log; the cluster cannot form without it (and whoever holds the port may even answer a health check).
     */
    private void failIfPortTaken() {
        for (LocalEtcdMember member : members.values()) {
            if (!member.isRunning() && Ports.logSaysPortTaken(member.logFile())) {
                MemberSpec taken = member(member.name());
                throw new PortTakenException("etcd member " + member.name() + " of '" + spec.id()
                        + "' could not bind " + taken.clientUrl() + " or " + taken.peerUrl()
                        + ": taken by another process\n" + Logs.tail(member.logFile(), 10));
            }
        }
    }

    private MemberSpec member(String name) {
        return spec.member(name).orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

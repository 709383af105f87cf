package dev.cpr.healthmonitor.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.MemberObservation;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against a real one-member etcd, a member that accepts connections but never answers,
 * and a member whose port is closed: the hanging member costs one timeout, not more, and does not
 * hide the others.
 */
class EtcdHttpProbeTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static ServerSocket silent;
    private static Vertx vertx;

    @BeforeAll
    static void start() throws IOException {
        etcd = EtcdCluster.start(dir.resolve("etcd"), "probe", 1);
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws IOException {
        vertx.closeAndAwait();
        silent.close();
        etcd.close();
        etcd.deleteData();
    }

    @Test
    void aHangingMemberCostsOneTimeoutAndTheOthersAreStillSeen() throws Exception {
        // given
        MemberSpec real = etcd.members().get(0);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ClusterSpec cluster = new ClusterSpec("probe", ClusterKind.ETCD, null, null, List.of(
                real,
                new MemberSpec("hanging", "http://127.0.0.1:" + silent.getLocalPort(), "http://127.0.0.1:1", "/tmp/x", null),
                new MemberSpec("closed", "http://127.0.0.1:" + closedPort, "http://127.0.0.1:2", "/tmp/y", null)),
                null);
        EtcdHttpProbe probe = new EtcdHttpProbe(vertx, Clock.systemUTC(), config());
        probe.poll(cluster).toCompletableFuture().get(5, TimeUnit.SECONDS); // warm-up: class loading, first connections
        // when
        long started = System.nanoTime();
        ClusterPoll poll = probe.poll(cluster).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // then
        Map<String, MemberObservation> byName = poll.members().stream()
                .collect(Collectors.toMap(MemberObservation::name, m -> m));
        assertThat(byName.get(real.name()).healthy()).as(byName.get(real.name()).toString()).isTrue();
        assertThat(byName.get(real.name()).leader()).isTrue();
        assertThat(byName.get(real.name()).raftIndex()).isPositive();
        assertThat(byName.get("hanging").healthy()).isFalse();
        assertThat(byName.get("hanging").reason()).isEqualTo("no answer within 300 ms");
        assertThat(byName.get("closed").reason()).isEqualTo("connection refused");
        assertThat(poll.leader()).contains(real.name());
        assertThat(poll.memberList()).hasValueSatisfying(list ->
                assertThat(list).extracting(m -> m.name()).containsExactly(real.name()));
        assertThat(took).isLessThan(TIMEOUT.multipliedBy(3));
    }

    static MonitorConfig config() {
        return new MonitorConfig() {
            @Override
            public Duration pollInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int debouncePolls() {
                return 2;
            }

            @Override
            public Duration silentQuorumGrace() {
                throw new UnsupportedOperationException("the etcd probe does not judge incidents");
            }

            @Override
            public Duration requestTimeout() {
                return TIMEOUT;
            }

            @Override
            public Bosh bosh() {
                throw new UnsupportedOperationException("the etcd probe does not read the BOSH settings");
            }

            @Override
            public Space space() {
                throw new UnsupportedOperationException("the etcd probe does not read the space settings");
            }

            @Override
            public HashCheck hashCheck() {
                throw new UnsupportedOperationException("the etcd probe does not read the hash-check settings");
            }

            @Override
            public Streams streams() {
                throw new UnsupportedOperationException("the etcd probe does not read the stream settings");
            }

            @Override
            public PlannedOutage plannedOutage() {
                throw new UnsupportedOperationException("the etcd probe does not read the planned-outage settings");
            }

            @Override
            public Lease lease() {
                throw new UnsupportedOperationException("the etcd probe does not read the lease settings");
            }

            @Override
            public Certificate certificate() {
                throw new UnsupportedOperationException("the etcd probe does not read the certificate settings");
            }
        };
    }
}

package dev.cpr.sandbox.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A port chosen for a member and taken by another process before the member binds it (issue 11, item 4). */
class EtcdClusterPortTakenTest {

    @Test
    void aMemberWhosePortWasTakenIsStartedAgainOnFreshPorts() throws IOException {
        try (ServerSocket thief = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger picks = new AtomicInteger();
            // given: the first pick hands out a port another process already holds
            List<Integer> firstClientPorts = new ArrayList<>();

            // when
            try (EtcdCluster cluster = EtcdCluster.start(TestDirs.fresh("etcd-port-taken"), "taken", 1, List.of(),
                    n -> {
                        List<Integer> ports = new ArrayList<>(Ports.free(n));
                        if (picks.getAndIncrement() == 0) {
                            ports.set(0, thief.getLocalPort());
                        }
                        firstClientPorts.add(ports.get(0));
                        return ports;
                    })) {

                // then: started on the second pick, healthy, and not on the stolen port
                assertThat(picks).hasValue(2);
                assertThat(cluster.isHealthy("etcd-1")).isTrue();
                assertThat(cluster.member("etcd-1").clientUrl()).doesNotEndWith(":" + thief.getLocalPort())
                        .endsWith(":" + firstClientPorts.get(1));
            }
        }
    }

    @Test
    void aPortTakenOnEveryAttemptFailsFastNamingThePort() throws IOException {
        try (ServerSocket thief = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();

            assertThatThrownBy(() -> EtcdCluster.start(TestDirs.fresh("etcd-port-always-taken"), "taken", 1, List.of(),
                    n -> {
                        List<Integer> ports = new ArrayList<>(Ports.free(n));
                        ports.set(0, thief.getLocalPort());
                        return ports;
                    }))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("127.0.0.1:" + thief.getLocalPort())
                    .hasMessageContaining("taken by another process")
                    .hasMessageContaining("address already in use");

            // well before the 30 s the cluster would otherwise be given to become healthy, three times over
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(EtcdCluster.START_TIMEOUT);
        }
    }
}

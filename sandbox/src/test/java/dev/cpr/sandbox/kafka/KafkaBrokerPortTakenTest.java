package dev.cpr.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.support.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The failure {@code ./cpr up} once hung on (issue 11, item 4): Kafka's port, chosen free, taken by another
 * process before the broker bound it. Whoever holds the port even accepts connections on it.
 */
class KafkaBrokerPortTakenTest {

    @Test
    void aBrokerWhosePortWasTakenIsStartedAgainOnFreshPorts() throws Exception {
        try (ServerSocket thief = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger picks = new AtomicInteger();

            try (KafkaBroker broker = KafkaBroker.start(TestDirs.fresh("kafka-port-taken"), true, () -> {
                List<Integer> ports = new ArrayList<>(Ports.free(2));
                if (picks.getAndIncrement() == 0) {
                    ports.set(0, thief.getLocalPort());
                }
                return ports;
            })) {

                assertThat(picks).hasValue(2);
                assertThat(broker.port()).isNotEqualTo(thief.getLocalPort());
                try (Admin admin = broker.admin()) {
                    assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                            .containsAll(KafkaBroker.TOPICS);
                }
            }
        }
    }
}

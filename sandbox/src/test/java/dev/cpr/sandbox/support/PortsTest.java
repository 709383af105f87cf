package dev.cpr.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void recognisesTheBindFailuresOfEachServer() {
        assertThat(Ports.saysPortTaken("listen tcp 127.0.0.1:2379: bind: address already in use")).isTrue(); // etcd
        assertThat(Ports.saysPortTaken("KafkaException: Socket server failed to bind to 127.0.0.1:9092: "
                + "Address already in use.")).isTrue();
        assertThat(Ports.saysPortTaken("LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use"))
                .isTrue(); // PostgreSQL
        assertThat(Ports.saysPortTaken("io.quarkus.runtime.QuarkusBindException: Port already bound: 8081"))
                .isTrue();
        assertThat(Ports.saysPortTaken("started in 2.1s. Listening on: http://0.0.0.0:8081")).isFalse();
    }

    @Test
    void aStartFailingOnATakenPortIsRetriedThenReported() {
        AtomicInteger attempts = new AtomicInteger();

        assertThat(Ports.retryIfTaken("server", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new PortTakenException("port 1 taken");
            }
            return "started";
        })).isEqualTo("started");

        attempts.set(0);
        assertThatThrownBy(() -> Ports.retryIfTaken("server", () -> {
            attempts.incrementAndGet();
            throw new PortTakenException("port 1 taken");
        })).isInstanceOf(PortTakenException.class).hasMessage("port 1 taken");
        assertThat(attempts).hasValue(Ports.START_ATTEMPTS);
    }

    @Test
    void otherStartFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> Ports.retryIfTaken("server", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("bad config");
        })).hasMessage("bad config");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aFixedPortAlreadyTakenIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Ports.requireFree("health-monitor", taken.getLocalPort()))
                    .hasMessageContaining("port " + taken.getLocalPort() + " for health-monitor is taken");
        }
    }
}

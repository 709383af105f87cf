package dev.cpr.sandbox.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.PortTakenException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    private static final Duration GENEROUS = Duration.ofMinutes(2);

    @Test
    void aServiceThatDiesAtStartFailsAtOnceWithItsExitCodeAndLogPath() throws IOException {
        Path dir = TestDirs.fresh("service-dies");
        // given: a "service" whose JVM cannot start (its jar is not a jar)
        Path jar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        ServiceProcess service = new ServiceProcess("broken-service", jar, Ports.free(), dir.resolve("broken.log"));
        service.start(Map.of());
        long t0 = System.nanoTime();

        // when / then: no waiting out the timeout
        assertThatThrownBy(() -> service.awaitReady(GENEROUS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken-service exited during start-up (code 1)")
                .hasMessageContaining("log " + dir.resolve("broken.log"))
                .hasMessageContaining("Invalid or corrupt jarfile");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(GENEROUS.dividedBy(4));
    }

    @Test
    void aServiceWhosePortIsTakenIsReportedAsSuchEvenIfTheThiefAnswers() throws IOException {
        Path dir = TestDirs.fresh("service-port-taken");
        try (ServerSocket thief = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // given: a process that fails as Quarkus does on a taken port
            Path log = dir.resolve("taken.log");
            ServiceProcess service = new ServiceProcess("taken-service", Files.writeString(dir.resolve("x.jar"), "x"),
                    thief.getLocalPort(), log);
            service.start(Map.of());
            Files.writeString(log, "ERROR Port already bound: " + thief.getLocalPort() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);

            assertThatThrownBy(() -> service.awaitReady(GENEROUS))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("taken-service could not bind port " + thief.getLocalPort());
        }
    }
}

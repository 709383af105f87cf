package dev.cpr.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cpr.sandbox.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ListeningPortsTest {

    @Test
    void serverPortsAreChosenBelowTheKernelsEphemeralRange() throws IOException {
        Path rangeFile = rangeFile("32768\t60999\n");

        ListeningPorts ports = ListeningPorts.outsideEphemeral(rangeFile);

        assertThat(ports.lowest()).isEqualTo(10_000);
        assertThat(ports.highest()).isEqualTo(32_767);
    }

    @Test
    void aRangeStartingTooLowLeavesTheServersAboveIt() throws IOException {
        ListeningPorts ports = ListeningPorts.outsideEphemeral(rangeFile("1024 50000"));

        assertThat(ports.lowest()).isEqualTo(50_001);
        assertThat(ports.highest()).isEqualTo(65_535);
    }

    @Test
    void anUnreadableRangeFileMeansLinuxsDefaultRange() {
        ListeningPorts ports = ListeningPorts.outsideEphemeral(Path.of("/no/such/ip_local_port_range"));

        assertThat(ports.highest()).isEqualTo(ListeningPorts.EPHEMERAL_LOW - 1);
    }

    @Test
    void aRangeFileThatIsNotTwoNumbersMeansLinuxsDefaultRange() throws IOException {
        ListeningPorts ports = ListeningPorts.outsideEphemeral(rangeFile("3"));

        assertThat(ports.lowest()).isEqualTo(10_000);
        assertThat(ports.highest()).isEqualTo(ListeningPorts.EPHEMERAL_LOW - 1);
    }

    @Test
    void thisMachinesOwnRangeFileIsRead() {
        Path procfs = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(procfs), "not Linux");

        // procfs reports a size of 0; reading it as an ordinary file once gave "3" for "32768 60999"
        assertThat(ListeningPorts.outsideEphemeral(procfs).lowest()).isLessThan(32_768);
    }

    @Test
    void portsAreHandedOutInTurnAndWrapAround() {
        ListeningPorts ports = ListeningPorts.between(20_000, 20_009);

        Set<Integer> handedOut = new HashSet<>();
        IntStream.range(0, 10).forEach(i -> handedOut.add(ports.next()));

        assertThat(handedOut).hasSize(10).allMatch(p -> p >= 20_000 && p <= 20_009);
    }

    @Test
    void freePortsOnThisMachineAreDistinctAndNeverEphemeral() {
        var chosen = Ports.free(12);

        assertThat(chosen).doesNotHaveDuplicates()
                .allMatch(p -> p >= Ports.LISTENING.lowest() && p <= Ports.LISTENING.highest());
    }

    private static Path rangeFile(String content) throws IOException {
        Path file = TestDirs.fresh("port-range").resolve("ip_local_port_range");
        Files.writeString(file, content);
        return file;
    }
}

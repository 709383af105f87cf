package dev.cpr.contracts.tls;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.TlsSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsTest {

    @TempDir
    Path dir;

    @Test
    void aMissingCaFileIsNamedWithClusterAndMember() {
        String ca = dir.resolve("ca.pem").toString();

        assertThatThrownBy(() -> ClientTls.load("c1", "etcd-2", new TlsSpec(ca, null, null), Instant.now()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("TLS of cluster c1, member etcd-2: CA file " + ca + " does not exist");
    }

    @Test
    void aFileWithoutACertificateIsRefusedAsSuch() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> ClientTls.load("c1", null, new TlsSpec(ca.toString(), null, null), Instant.now()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("TLS of cluster c1: CA file " + ca + " holds no PEM certificate (BEGIN CERTIFICATE)")
                .extracting(e -> ((TlsMaterialException) e).file()).isEqualTo(ca.toString());
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedBeforeAnyFileIsRead() {
        assertThatThrownBy(() -> ClientTls.load("c1", "etcd-1", new TlsSpec("/ca.pem", "/client.pem", null),
                Instant.now()))
                .hasMessage("TLS of cluster c1, member etcd-1: tls.cert-file and tls.key-file go together: "
                        + "key-file is missing");
    }

    @Test
    void aCaFileIsRequired() {
        assertThatThrownBy(() -> ClientTls.load("c1", "etcd-1", new TlsSpec(null, null, null), Instant.now()))
                .hasMessageContaining("tls.ca-file is required");
    }
}

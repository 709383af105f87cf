package dev.cpr.sandbox.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.sandbox.TestDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A three-member cluster serving client and peer traffic over mutual TLS. */
class EtcdClusterTlsTest {

    private static final Path BASE = TestDirs.fresh("etcd-tls");
    private static EtcdCluster cluster;

    @BeforeAll
    static void startCluster() {
        long t0 = System.nanoTime();
        cluster = EtcdCluster.startTls(BASE, "secure", 3);
        System.out.printf("[timing] etcd 3-member TLS cluster (CA and certificates included) healthy in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster.deleteData();
        }
    }

    @Test
    void everyMemberServesHttpsAndItsInventoryCarriesTheTlsBlock() {
        // then
        assertThat(cluster.members()).allSatisfy(m -> {
            assertThat(m.clientUrl()).startsWith("https://127.0.0.1:");
            assertThat(m.peerUrl()).startsWith("https://127.0.0.1:");
            assertThat(cluster.isHealthy(m.name())).isTrue();
        });
        Path file = cluster.writeInventory(BASE.resolve("inventory.yaml"));
        var loaded = InventoryLoader.load(file).cluster("secure").orElseThrow();
        assertThat(loaded.tls()).isEqualTo(cluster.spec().tls());
        assertThat(Path.of(loaded.tls().caFile())).exists().hasFileName("ca.pem");
        assertThat(Path.of(loaded.tls().certFile())).exists();
        assertThat(Path.of(loaded.tls().keyFile())).exists();
    }

    @Test
    void keysAreWrittenAndCountedOverTls() {
        long before = cluster.countKeys();
        // when
        cluster.putKeys("/tls/", 100);
        // then
        assertThat(cluster.countKeys()).isEqualTo(before + 100);
    }

    @Test
    void aClientWithoutTheClientCertificateIsRefused() throws Exception {
        // given: a client that trusts the CA but presents no certificate
        var trustOnly = dev.cpr.contracts.tls.ClientTls.load("secure", null,
                new dev.cpr.contracts.inventory.TlsSpec(cluster.spec().tls().caFile(), null, null),
                java.time.Instant.now());
        HttpClient http = HttpClient.newBuilder().sslContext(trustOnly.sslContext())
                .connectTimeout(Duration.ofSeconds(2)).build();
        MemberSpec member = cluster.members().get(0);
        // when / then
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(member.clientUrl() + "/health"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aRestartedMemberComesBackWithItsCertificate() {
        // when
        cluster.stop("etcd-3");
        cluster.restart("etcd-3");
        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.isHealthy("etcd-3"));
        assertThat(cluster.member("etcd-3").access().etcdBinary()).endsWith("etcd-3-with-tls");
    }
}

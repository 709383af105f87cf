package dev.cpr.healthmonitor.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.healthmonitor.adapters.rest.ClusterView;
import dev.cpr.healthmonitor.adapters.rest.ClusterViews;
import dev.cpr.healthmonitor.app.StatusBoard;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.Classification;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.FailureClassifier;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.tls.IssuedCertificate;
import dev.cpr.sandbox.tls.SandboxCa;
import io.vertx.mutiny.core.Vertx;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * health-monitor's probes against a real three-member etcd serving mutual TLS whose member certificates end in
 * 10 days: the members are healthy, their certificates open the expiry warning, and the three TLS faults each fail
 * the cluster's poll with one reason naming cluster, member and file while a good cluster is still polled.
 */
class TlsClusterProbeTest {

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static Vertx vertx;
    private static EtcdHttpProbe probe;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), "secure", 3, List.of(), 10);
        vertx = Vertx.vertx();
        probe = new EtcdHttpProbe(vertx, Clock.systemUTC(), config());
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (etcd != null) {
            etcd.close();
            etcd.deleteData();
        }
    }

    @Test
    void everyMemberIsHealthyOverMutualTls() throws Exception {
        // when
        ClusterPoll poll = poll(etcd.spec());
        // then
        assertThat(poll.members()).allSatisfy(m -> assertThat(m.healthy()).as(m.toString()).isTrue());
        assertThat(poll.memberList()).hasValueSatisfying(list -> assertThat(list).hasSize(3));
        assertThat(new FailureClassifier().classify(poll).failure()).isEmpty();
    }

    @Test
    void certificatesEndingInTenDaysOpenTheExpiryWarningWithTheDefaultWindow() throws Exception {
        // given
        KvHashProbe slow = new KvHashProbe(config());
        try {
            // when
            Map<String, Instant> ends = slow.certificateEnds(etcd.spec());
            Classification verdict = new FailureClassifier(80, FailureClassifier.DEFAULT_CERTIFICATE_WARN_WITHIN)
                    .classify(poll(etcd.spec()), Optional.empty(), ends);
            // then
            assertThat(ends).containsOnlyKeys("etcd-1", "etcd-2", "etcd-3");
            assertThat(ends.get("etcd-1")).isBetween(Instant.now().plus(Duration.ofDays(9)),
                    Instant.now().plus(Duration.ofDays(10)));
            assertThat(verdict.shows(FailureKind.CERTIFICATE_EXPIRING)).isTrue();
            assertThat(verdict.membersFor(FailureKind.CERTIFICATE_EXPIRING)).containsExactly("etcd-1", "etcd-2", "etcd-3");
        } finally {
            slow.close();
        }
    }

    @Test
    void theClusterViewCarriesEachMembersDatabaseSizeTheQuotaAndTheCertificateEndAsLastRead() throws Exception {
        // given: a poll and the slow checks' readings of the cluster, recorded as the monitor records them
        KvHashProbe slow = new KvHashProbe(config());
        try {
            Map<String, Instant> ends = slow.certificateEnds(etcd.spec());
            // a poll in which every member answered its status call (a loaded machine may miss one for a poll)
            ClusterPoll poll = await().atMost(Duration.ofSeconds(30)).until(() -> poll(etcd.spec()),
                    p -> p.healthyCount() == 3).withQuota(slow.quotaBytes(etcd.spec()).orElseThrow());
            StatusBoard board = new StatusBoard();
            board.record(poll, new FailureClassifier().classify(poll, Optional.empty(), ends), ends);
            // when
            ClusterView view = ClusterViews.view(etcd.spec(), board.latest("secure"), Optional.empty(), List.of(),
                    Optional.empty(), member -> Optional.empty());
            // then: the cluster runs without --quota-backend-bytes, so its members report etcd's 2 GiB default
            assertThat(view.quotaBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
            assertThat(view.members()).hasSize(3).allSatisfy(m -> {
                assertThat(m.dbSize()).as(m.name()).isPositive();
                assertThat(m.dbSizeInUse()).as(m.name()).isPositive().isLessThanOrEqualTo(m.dbSize());
                assertThat(m.certificateNotAfter()).as(m.name()).isEqualTo(ends.get(m.name()))
                        .isBetween(Instant.now().plus(Duration.ofDays(9)), Instant.now().plus(Duration.ofDays(10)));
                assertThat(m.certificateExpiring()).as("10 days is within the default 30").isTrue();
            });
        } finally {
            slow.close();
        }
    }

    @Test
    void aMissingKeyFileFailsThePollWithOneReasonAndAGoodClusterIsStillPolled() throws Exception {
        // given
        String missing = dir.resolve("gone-key.pem").toString();
        ClusterSpec broken = withTls("broken", new TlsSpec(etcd.spec().tls().caFile(), etcd.spec().tls().certFile(),
                missing));
        // when / then
        assertThat(failure(broken)).isEqualTo("TLS of cluster broken, member etcd-1: key file " + missing
                + " does not exist");
        assertThat(poll(etcd.spec()).healthyCount()).isEqualTo(3);
    }

    @Test
    void anExpiredClientCertificateFailsThePollNamingTheFile() throws Exception {
        // given
        IssuedCertificate expired = etcd.issueClientCertificate("expired-client", SandboxCa.Validity.expired());
        ClusterSpec stale = withTls("stale", new TlsSpec(etcd.spec().tls().caFile(), expired.certFile().toString(),
                expired.keyFile().toString()));
        // when / then
        assertThat(failure(stale)).startsWith("TLS of cluster stale, member etcd-1: client certificate "
                + expired.certFile() + " expired at 2020-01-02T00:00:00Z");
    }

    @Test
    void aWrongCaFailsThePollNamingEveryMemberAndTheCaFile() throws Exception {
        // given
        Path otherCa = SandboxCa.create(dir.resolve("other-ca"), "another CA").caFile();
        ClusterSpec wrong = withTls("wrong-ca", new TlsSpec(otherCa.toString(), etcd.spec().tls().certFile(),
                etcd.spec().tls().keyFile()));
        // when
        String reason = failure(wrong);
        // then
        for (String member : List.of("etcd-1", "etcd-2", "etcd-3")) {
            assertThat(reason).contains("TLS of cluster wrong-ca, member " + member
                    + ": the member's certificate is not signed by the CA in " + otherCa + " (wrong CA?)");
        }
    }

    private static ClusterPoll poll(ClusterSpec cluster) throws Exception {
        return probe.poll(cluster).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String failure(ClusterSpec cluster) throws Exception {
        try {
            ClusterPoll poll = poll(cluster);
            throw new AssertionError("the poll of " + cluster.id() + " should have failed, saw " + poll);
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
    }

    private static ClusterSpec withTls(String id, TlsSpec tls) {
        ClusterSpec spec = etcd.spec();
        return new ClusterSpec(id, spec.kind(), spec.token(), tls, spec.members(), null);
    }

    private static MonitorConfig config() {
        MonitorConfig.HashCheck hashCheck = (MonitorConfig.HashCheck) Proxy.newProxyInstance(
                TlsClusterProbeTest.class.getClassLoader(), new Class<?>[] {MonitorConfig.HashCheck.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "callTimeout" -> Duration.ofSeconds(3);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (MonitorConfig) Proxy.newProxyInstance(TlsClusterProbeTest.class.getClassLoader(),
                new Class<?>[] {MonitorConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "requestTimeout" -> Duration.ofSeconds(2);
                    case "hashCheck" -> hashCheck;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

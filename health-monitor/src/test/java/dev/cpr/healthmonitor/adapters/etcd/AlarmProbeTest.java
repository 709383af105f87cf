package dev.cpr.healthmonitor.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.Classification;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.FailureClassifier;
import dev.cpr.healthmonitor.domain.KvHashVerdict;
import dev.cpr.healthmonitor.domain.MemberObservation;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.vertx.mutiny.core.Vertx;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real etcd members with a 2 MiB {@code --quota-backend-bytes}, filled until NOSPACE: every member still
 * answers, with {@code /health} false. The probe must see them up (their status names a leader), the alarm and the
 * database sizes; the slow check reads the quota from the members' metrics and finds their KV hashes equal.
 */
class AlarmProbeTest {

    private static final long QUOTA = 2L * 1024 * 1024;

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static Vertx vertx;

    @BeforeAll
    static void fillUntilNoSpace() throws Exception {
        etcd = EtcdCluster.start(dir.resolve("etcd"), "full", 3, List.of("--quota-backend-bytes=" + QUOTA));
        vertx = Vertx.vertx();
        byte[] value = new byte[100 * 1024];
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            random.nextBytes(value);
            try {
                etcd.client().getKVClient().put(ByteSequence.from("/k" + (i % 2), StandardCharsets.UTF_8),
                        ByteSequence.from(value)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(String.valueOf(e.getCause())).contains("space exceeded");
                return;
            }
        }
        throw new AssertionError("no NOSPACE after 500 writes");
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        etcd.close();
        etcd.deleteData();
    }

    @Test
    void aFullClusterIsSpaceExhaustedWithEveryMemberUpNeverQuorumLost() throws Exception {
        EtcdHttpProbe probe = new EtcdHttpProbe(vertx, Clock.systemUTC(), config());

        ClusterPoll poll = probe.poll(etcd.spec()).toCompletableFuture().get(10, TimeUnit.SECONDS).withQuota(QUOTA);
        Classification verdict = new FailureClassifier(80).classify(poll);

        assertThat(poll.members()).allSatisfy(m -> {
            assertThat(m.healthy()).isFalse();
            assertThat(m.hasLeader()).as(m.name() + " has a leader").isTrue();
            assertThat(m.dbSize()).isPositive();
        });
        assertThat(poll.members()).filteredOn(MemberObservation::leader).hasSize(1);
        assertThat(poll.alarms()).isNotEmpty().allSatisfy(a -> assertThat(a).matches("NOSPACE on etcd-[123]"));
        assertThat(verdict.failure()).contains(FailureKind.SPACE_EXHAUSTED);
        assertThat(verdict.shows(FailureKind.QUORUM_LOST)).isFalse();
        assertThat(verdict.shows(FailureKind.MEMBER_UNHEALTHY)).isFalse();
    }

    @Test
    void theSlowCheckReadsTheQuotaAndFindsTheMembersHashesEqual() {
        KvHashProbe probe = new KvHashProbe(config());
        try {
            assertThat(probe.quotaBytes(etcd.spec())).contains(QUOTA);

            Optional<KvHashVerdict> hashes = probe.hashes(etcd.spec());

            assertThat(hashes).hasValueSatisfying(h -> {
                assertThat(h.hashes()).hasSize(3);
                assertThat(h.differing()).isEmpty();
                assertThat(h.summary()).contains("all 3 KV hashes agree");
            });
        } finally {
            probe.close();
        }
    }

    private static MonitorConfig config() {
        MonitorConfig.HashCheck hashCheck = (MonitorConfig.HashCheck) Proxy.newProxyInstance(
                AlarmProbeTest.class.getClassLoader(), new Class<?>[] {MonitorConfig.HashCheck.class},
                (p, m, a) -> switch (m.getName()) {
                    case "interval" -> Duration.ofSeconds(30);
                    case "callTimeout" -> Duration.ofSeconds(3);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (MonitorConfig) Proxy.newProxyInstance(AlarmProbeTest.class.getClassLoader(),
                new Class<?>[] {MonitorConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "requestTimeout" -> Duration.ofSeconds(2);
                    case "hashCheck" -> hashCheck;
                    case "space" -> throw new UnsupportedOperationException("not read by the probes");
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}

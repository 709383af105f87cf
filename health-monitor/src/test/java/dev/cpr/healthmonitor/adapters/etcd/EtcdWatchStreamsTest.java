package dev.cpr.healthmonitor.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.MemberDropped;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.vertx.mutiny.core.Vertx;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The member streams against a real 3-member etcd over mutual TLS (as kubespray and PKS serve it): a killed member is
 * reported once, within a second and without a poll; a member that stays down is not reported again while it is
 * retried; once back, its next crash is reported too; a hung member (SIGSTOP, its socket open) is reported as
 * unanswered within a second; a member kept busy is not; a cluster no longer followed reports nothing.
 */
class EtcdWatchStreamsTest {

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), "streams", 3);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        etcd.close();
        etcd.deleteData();
    }

    @Test
    void aKilledMemberIsReportedOnceByItsStreamAndAgainAfterItCameBackAndCrashedAgain() {
        // given
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(true));
        List<MemberDropped> drops = new CopyOnWriteArrayList<>();
        streams.follow(List.of(etcd.spec()), drops::add);
        awaitEstablished(streams);
        try {
            // when
            Instant killed = Instant.now();
            etcd.kill("etcd-2");
            // then
            // the stream's end is the only signal here (this adapter never polls); how soon it comes is the
            // benchmark's figure, not an assertion on a shared machine: a bound well below a poll interval's seconds
            await("etcd-2's drop").atMost(Duration.ofSeconds(5)).until(() -> !drops.isEmpty());
            MemberDropped drop = drops.get(0);
            System.out.printf("member stream: etcd-2 killed, drop reported after %d ms (%s)%n",
                    Duration.between(killed, drop.at()).toMillis(), drop.reason());
            assertThat(drop.clusterId()).isEqualTo("streams");
            assertThat(drop.member()).isEqualTo("etcd-2");
            // a member that stays down is retried quietly: one crash, one report
            await("no second report while etcd-2 stays down").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4)).until(() -> drops.size() == 1);

            // when it is back and crashes again
            etcd.restart("etcd-2");
            etcd.awaitHealthy(Duration.ofSeconds(30));
            awaitEstablished(streams);
            etcd.kill("etcd-2");
            // then
            await("etcd-2's second drop").atMost(Duration.ofSeconds(5)).until(() -> drops.size() == 2);
            assertThat(drops).extracting(MemberDropped::member).containsExactly("etcd-2", "etcd-2");
        } finally {
            streams.closeAll();
            etcd.restart("etcd-2");
            etcd.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    @Test
    void pollsAnswerWhileTheStreamsOpenAndAfter() throws Exception {
        // given
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(true));
        EtcdHttpProbe probe = new EtcdHttpProbe(vertx, Clock.systemUTC(), config(true));
        try {
            // when the first poll runs as the streams open, and again once they are open
            streams.follow(List.of(etcd.spec()), drop -> { });
            var first = probe.pollUni(etcd.spec()).await().atMost(Duration.ofSeconds(5));
            awaitEstablished(streams);
            var later = probe.pollUni(etcd.spec()).await().atMost(Duration.ofSeconds(5));
            // then
            assertThat(first.members()).as(first.toString()).allSatisfy(m -> assertThat(m.healthy()).isTrue());
            assertThat(later.members()).as(later.toString()).allSatisfy(m -> assertThat(m.healthy()).isTrue());
        } finally {
            streams.closeAll();
        }
    }

    @Test
    void aHungMemberIsReportedAsUnansweredOnceAndItsStreamStaysOpen() {
        // given
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(true));
        List<MemberDropped> signals = new CopyOnWriteArrayList<>();
        streams.follow(List.of(etcd.spec()), signals::add);
        awaitEstablished(streams);
        Instant hung = Instant.now();
        etcd.hang("etcd-3");
        try {
            // when nothing more than the hang happens
            // signalled by the unanswered progress request (a hung process keeps its socket open, and TCP would
            // take minutes to say so); the latency is the benchmark's figure
            await("etcd-3's silence").atMost(Duration.ofSeconds(5)).until(() -> !signals.isEmpty());
            MemberDropped signal = signals.get(0);
            System.out.printf("member stream: etcd-3 hung, signalled after %d ms (%s)%n",
                    Duration.between(hung, signal.at()).toMillis(), signal.reason());
            // then
            assertThat(signal.member()).isEqualTo("etcd-3");
            assertThat(signal.unanswered()).isTrue();
            await("no second report while etcd-3 stays hung").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4)).until(() -> signals.size() == 1);
        } finally {
            etcd.resume("etcd-3");
        }
        // and its stream was never closed: it is open once the member answers again
        awaitEstablished(streams);
        streams.closeAll();
    }

    @Test
    void aMemberKeptBusyWithWritesIsNotSignalled() {
        // given
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(true));
        List<MemberDropped> signals = new CopyOnWriteArrayList<>();
        streams.follow(List.of(etcd.spec()), signals::add);
        awaitEstablished(streams);
        try {
            // when the cluster takes 20,000 writes (the test's JVM and three etcds on a shared 2-core machine)
            etcd.putKeys("/busy/", 20_000);
            // then
            await("no signal").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(signals::isEmpty);
            assertThat(streams.established()).isEqualTo(3);
        } finally {
            streams.closeAll();
        }
    }

    @Test
    void eachMembersStreamSaysWhetherItIsOpenAndNothingIsSaidOfAClusterNotFollowed() {
        // given the cluster followed, every stream open
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(true));
        streams.follow(List.of(etcd.spec()), drop -> { });
        awaitEstablished(streams);
        try {
            assertThat(List.of("etcd-1", "etcd-2", "etcd-3")).allSatisfy(member ->
                    assertThat(streams.open("streams", member)).hasValue(true));
            assertThat(streams.open("another", "etcd-1")).isEmpty();

            // when etcd-3 is killed, then its stream is no longer open, the others' still are
            etcd.kill("etcd-3");
            await("etcd-3's stream closed").atMost(Duration.ofSeconds(5))
                    .until(() -> streams.open("streams", "etcd-3").equals(Optional.of(false)));
            assertThat(streams.open("streams", "etcd-1")).hasValue(true);

            // and once the cluster is no longer followed, nothing is said of it
            streams.follow(List.of(), drop -> { });
            assertThat(streams.open("streams", "etcd-1")).isEmpty();
        } finally {
            streams.closeAll();
            etcd.restart("etcd-3");
            etcd.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    @Test
    void aClusterNoLongerFollowedReportsNothing() {
        // given
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(true));
        List<MemberDropped> drops = new CopyOnWriteArrayList<>();
        streams.follow(List.of(etcd.spec()), drops::add);
        awaitEstablished(streams);
        // when
        streams.follow(List.of(), drops::add);
        etcd.kill("etcd-3");
        try {
            // then
            await("no report").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(drops::isEmpty);
        } finally {
            streams.closeAll();
            etcd.restart("etcd-3");
            etcd.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    @Test
    void switchedOffItOpensNoStream() {
        // given
        EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config(false));
        List<MemberDropped> drops = new CopyOnWriteArrayList<>();
        streams.follow(List.of(etcd.spec()), drops::add);
        // when
        etcd.kill("etcd-1");
        try {
            // then
            await("no report").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(drops::isEmpty);
            assertThat(streams.established()).isZero();
        } finally {
            streams.closeAll();
            etcd.restart("etcd-1");
            etcd.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    private static void awaitEstablished(EtcdWatchStreams streams) {
        await("a stream to every member").atMost(Duration.ofSeconds(10)).until(() -> streams.established() == 3);
    }

    private static MonitorConfig config(boolean enabled) {
        MonitorConfig.Streams streams = (MonitorConfig.Streams) Proxy.newProxyInstance(
                EtcdWatchStreamsTest.class.getClassLoader(), new Class<?>[] {MonitorConfig.Streams.class},
                (p, m, a) -> switch (m.getName()) {
                    case "enabled" -> enabled;
                    case "reconnectInterval" -> Duration.ofMillis(500);
                    case "progressInterval" -> Duration.ofMillis(200);
                    case "progressTimeout" -> Duration.ofMillis(500);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (MonitorConfig) Proxy.newProxyInstance(EtcdWatchStreamsTest.class.getClassLoader(),
                new Class<?>[] {MonitorConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "requestTimeout" -> Duration.ofSeconds(1);
                    case "streams" -> streams;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}

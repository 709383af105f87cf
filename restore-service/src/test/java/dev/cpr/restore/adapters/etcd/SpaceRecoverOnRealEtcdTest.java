package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdSpaceRecoverPlan;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.kernel.Sleeper;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code etcd-space-recover} against three real etcd 3.4 members with a 4 MiB {@code --quota-backend-bytes}. */
class SpaceRecoverOnRealEtcdTest {

    private static final long QUOTA = 4L * 1024 * 1024;

    @TempDir
    Path dir;

    private EtcdCluster etcd;
    private JetcdEtcdAdmin admin;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeEach
    void start() {
        etcd = EtcdCluster.start(dir.resolve("etcd"), "space", 3, List.of("--quota-backend-bytes=" + QUOTA));
        admin = new JetcdEtcdAdmin(config());
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        admin.close();
        etcd.close();
    }

    /** Writes {@code value}-sized values under {@code keys} distinct keys, round robin, until etcd says NOSPACE. */
    private int fillUntilNoSpace(int keys, int valueBytes) throws Exception {
        byte[] value = new byte[valueBytes];
        Random random = new Random(5);
        for (int i = 0; i < 1_000; i++) {
            random.nextBytes(value);
            try {
                etcd.client().getKVClient().put(ByteSequence.from("/fill/" + (i % keys), StandardCharsets.UTF_8),
                        ByteSequence.from(value)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(String.valueOf(e.getCause())).contains("space exceeded");
                return i;
            }
        }
        throw new AssertionError("no NOSPACE after 1000 writes");
    }

    private RecoveryPlan run() throws Exception {
        InMemoryPlanStore store = new InMemoryPlanStore();
        EtcdSpaceRecoverPlan.Settings settings = new EtcdSpaceRecoverPlan.Settings(Duration.ofMillis(100), 0,
                Duration.ofMillis(200), 80, Optional.empty(), Duration.ofSeconds(30));
        PlanEngine engine = new PlanEngine(store, plan -> new EtcdSpaceRecoverPlan(etcd.spec(), plan.id(), admin,
                settings, Sleeper.REAL, plan.steps()).steps(), new PlanListener() { }, executor, Clock.systemUTC(),
                Sleeper.REAL);
        RecoveryPlan plan = Plans.running("etcd-space-recover", EtcdSpaceRecoverPlan.outline(etcd.spec()));
        store.insert(plan);
        return engine.run(plan);
    }

    @Test
    void aClusterFullOfHistoryGetsItsSpaceBackWithEveryKey() throws Exception {
        etcd.putKeys("/keys/", 500);
        int writes = fillUntilNoSpace(3, 200 * 1024);
        long keysBefore = etcd.countKeys();
        assertThat(admin.alarms(etcd.spec())).extracting(a -> a.type()).contains("NOSPACE");
        assertThat(admin.quotaBytes(etcd.members().get(0).clientUrl())).contains(QUOTA);

        RecoveryPlan result = run();

        assertThat(result.state()).as(result.message() + " after " + writes + " writes").isEqualTo(PlanState.SUCCEEDED);
        assertThat(admin.alarms(etcd.spec())).isEmpty();
        assertThat(etcd.countKeys()).isEqualTo(keysBefore);
        for (var member : etcd.members()) {
            assertThat(admin.space(member.clientUrl()).orElseThrow().dbSize()).isLessThan(QUOTA / 2);
        }
        assertThat(result.step(0).output()).contains("the leader", "last");
        assertThat(result.steps()).extracting(PlanStep::state).containsOnly(StepState.SUCCEEDED);
        etcd.client().getKVClient().put(ByteSequence.from("/after", StandardCharsets.UTF_8),
                ByteSequence.from("ok", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static RestoreConfig config() {
        RestoreConfig.Etcd etcd = (RestoreConfig.Etcd) Proxy.newProxyInstance(SpaceRecoverOnRealEtcdTest.class
                .getClassLoader(), new Class<?>[] {RestoreConfig.Etcd.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "callTimeout" -> Duration.ofSeconds(3);
                    case "statusTimeout" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RestoreConfig) Proxy.newProxyInstance(SpaceRecoverOnRealEtcdTest.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("etcd")) {
                        return etcd;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}

package dev.cpr.backup.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BackupMetricsTest {

    private static final Inventory INVENTORY = InventoryLoader.parse("test", """
            clusters:
              - id: plain
                kind: etcd
                members:
                  - {name: etcd-1, client-url: "http://127.0.0.1:2379", peer-url: "http://127.0.0.1:2380", data-dir: /d, access: {type: local}}
              - id: pks-1
                kind: bosh
                bosh: {director-url: "https://127.0.0.1:25555", deployment: d, instance-group: master, client: c, client-secret-env: S}
                members:
                  - {name: master-0, client-url: "http://127.0.0.1:3379", peer-url: "http://127.0.0.1:3380", data-dir: /d, access: {type: bosh, deployment: d, instance: master/1}}
            """);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void failureSeriesExistAtZeroForEveryClusterBeforeTheFirstFailure() {
        // when the service starts with this inventory
        new BackupMetrics(registry, INVENTORY);

        // then the alert rules' increase() has a zero to start from, for each cluster
        assertThat(count(Search.in(registry).name("cpr.backup.snapshot.duration").tag("cluster", "plain")
                .tag("outcome", "failed"))).isZero();
        assertThat(count(Search.in(registry).name("cpr.backup.drill.duration").tag("cluster", "pks-1")
                .tag("verdict", "corrupt"))).isZero();
        assertThat(count(Search.in(registry).name("cpr.backup.bbr.duration").tag("cluster", "pks-1")
                .tag("kind", "bbr-deployment").tag("outcome", "failed"))).isZero();
        // and a plain etcd cluster gets no bbr series
        assertThat(Search.in(registry).name("cpr.backup.bbr.duration").tag("cluster", "plain").timers()).isEmpty();
    }

    @Test
    void aFailureCountsOnThePreRegisteredSeries() {
        BackupMetrics metrics = new BackupMetrics(registry, INVENTORY);

        metrics.snapshot("plain", "failed", java.time.Duration.ofMillis(5));

        assertThat(count(Search.in(registry).name("cpr.backup.snapshot.duration").tag("cluster", "plain")
                .tag("outcome", "failed"))).isEqualTo(1);
    }

    private static long count(Search search) {
        assertThat(search.timers()).hasSize(1);
        return search.timer().count();
    }
}

package dev.cpr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.InventoryLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class SandboxTest {

    @Test
    void startsTheWholeWorldInParallelDescribesItAndAnotherProcessCanStopIt() throws Exception {
        long t0 = System.nanoTime();
        Sandbox sandbox = Sandbox.start(TestDirs.fresh("whole"));
        System.out.printf("[timing] Sandbox.start (etcd + Kafka + PostgreSQL in parallel) in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        try {
            SandboxDescription description = SandboxDescription.read(
                    sandbox.describe().write(sandbox.baseDir().resolve("sandbox.json")));

            assertThat(InventoryLoader.load(sandbox.inventoryPath()).cluster(Sandbox.CLUSTER_ID))
                    .contains(sandbox.etcd().spec());
            assertThat(description.etcd().members()).hasSize(3).allSatisfy(m -> assertThat(m.pid()).isNotNull());
            assertThat(description.kafka().bootstrapServers()).isEqualTo(sandbox.kafka().bootstrapServers());
            assertThat(description.postgres().pid()).isNotNull();
            try (Connection c = DriverManager.getConnection(description.postgres().jdbcUrl(),
                    description.postgres().username(), description.postgres().password());
                    ResultSet rs = c.createStatement().executeQuery("select count(*) from pg_database")) {
                assertThat(rs.next()).isTrue();
            }

            Sandbox.stop(description);

            assertThat(description.etcd().members())
                    .allSatisfy(m -> assertThat(ProcessHandle.of(m.pid()).filter(ProcessHandle::isAlive)).isEmpty());
            assertThat(ProcessHandle.of(description.kafka().pid()).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(ProcessHandle.of(description.postgres().pid()).filter(ProcessHandle::isAlive)).isEmpty();
        } finally {
            // PostgreSQL was already stopped through its postmaster.pid, so zonky logs "Could not stop postmaster"
            sandbox.close();
            sandbox.etcd().deleteData();
        }
        assertThat(sandbox.kafka().isRunning()).isFalse();
    }
}

package dev.cpr.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.InventoryLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resources as Quarkus drives them: init, start (config it implies), stop. */
class TestResourcesTest {

    @Test
    void etcdResourceStartsAFreshClusterAndPointsTheInventoryAtIt() {
        EtcdResource resource = new EtcdResource();
        resource.init(Map.of("members", "1", "cluster-id", "resource-test"));

        Map<String, String> config = resource.start();
        try {
            Path inventory = Path.of(config.get("cpr.inventory.path"));
            assertThat(InventoryLoader.load(inventory).cluster("resource-test")).contains(EtcdResource.cluster().spec());
            assertThat(EtcdResource.inventoryPath()).isEqualTo(inventory);
            assertThat(EtcdResource.cluster().isHealthy("etcd-1")).isTrue();
        } finally {
            resource.stop();
        }

        assertThatThrownBy(EtcdResource::cluster).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@QuarkusTestResource(EtcdResource.class)");
    }

    @Test
    void postgresResourceGivesTheDatasourceConfigOfOneSharedServer() throws Exception {
        PostgresResource resource = new PostgresResource();
        resource.init(Map.of());

        Map<String, String> config = resource.start();

        assertThat(config).containsOnlyKeys("quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url",
                "quarkus.datasource.username", "quarkus.datasource.password");
        assertThat(config.get("quarkus.datasource.reactive.url")).startsWith("postgresql://127.0.0.1:")
                .endsWith("/postgres");
        assertThat(new PostgresResource().start()).isEqualTo(config);
        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                ResultSet rs = c.createStatement().executeQuery("select current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres");
        }
    }

    @Test
    void kafkaResourceGivesTheBootstrapServersOfOneSharedBroker() {
        KafkaResource resource = new KafkaResource();
        resource.init(Map.of());

        Map<String, String> config = resource.start();

        assertThat(config).containsOnlyKeys("kafka.bootstrap.servers");
        assertThat(config.get("kafka.bootstrap.servers")).isEqualTo(KafkaResource.bootstrapServers());
        assertThat(KafkaResource.broker().isRunning()).isTrue();
        assertThat(new KafkaResource().start()).isEqualTo(config);
    }
}

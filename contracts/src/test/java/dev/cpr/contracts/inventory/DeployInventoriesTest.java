package dev.cpr.contracts.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The inventories shipped under {@code deploy/} are examples operators copy: they must load as they are. */
class DeployInventoriesTest {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void the_kubernetes_config_map_inventory_loads_with_its_pks_cluster() throws IOException {
        String inventoryYaml = null;
        YAMLFactory yaml = new YAMLFactory();
        ObjectMapper mapper = new ObjectMapper(yaml);
        try (YAMLParser parser = yaml.createParser(DEPLOY.resolve("kubernetes/base/config.yaml").toFile())) {
            for (JsonNode doc : mapper.readValues(parser, JsonNode.class).readAll()) {
                if ("cpr-inventory".equals(doc.path("metadata").path("name").asText())) {
                    inventoryYaml = doc.path("data").path("inventory.yaml").asText();
                }
            }
        }
        assertThat(inventoryYaml).as("ConfigMap cpr-inventory in deploy/kubernetes/base/config.yaml").isNotBlank();

        Inventory inventory = InventoryLoader.parse("deploy/kubernetes/base/config.yaml#inventory.yaml", inventoryYaml);

        ClusterSpec pks = inventory.cluster("pks-1").orElseThrow();
        assertThat(pks.kind()).isEqualTo(ClusterKind.BOSH);
        assertThat(pks.bosh().clientSecretEnv()).isEqualTo("BOSH_CLIENT_SECRET_PKS1");
        assertThat(pks.members()).allSatisfy(m -> {
            assertThat(m.access().type()).isEqualTo(NodeAccess.Type.BOSH);
            assertThat(m.access().instance()).startsWith("master/");
        });
        assertThat(pks.policyOrDefaults().named("bbr-deployment-restore")).contains(RecoveryMode.APPROVAL);
    }

    @Test
    void the_compose_inventory_loads() {
        Inventory inventory = InventoryLoader.load(DEPLOY.resolve("compose/inventory.yaml"));

        assertThat(inventory.clusters()).isNotEmpty().allSatisfy(c -> assertThat(c.members()).isNotEmpty());
    }
}

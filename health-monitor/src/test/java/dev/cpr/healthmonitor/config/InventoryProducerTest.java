package dev.cpr.healthmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryProducerTest {

    @TempDir
    Path dir;

    @Test
    void aMissingInventoryStopsStartUpNamingTheFile() {
        // given
        Path missing = dir.resolve("nope.yaml");
        // when / then
        assertThatThrownBy(() -> InventoryProducer.load(missing))
                .isInstanceOf(InventoryException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aBadFieldStopsStartUpNamingFileFieldAndReason() throws IOException {
        // given: a member without a client URL
        Path file = Files.writeString(dir.resolve("inventory.yaml"), """
                clusters:
                  - id: c1
                    kind: etcd
                    members:
                      - name: etcd-1
                        peer-url: http://127.0.0.1:2380
                        data-dir: /tmp/etcd-1
                """);
        // when / then
        assertThatThrownBy(() -> InventoryProducer.load(file))
                .isInstanceOfSatisfying(InventoryException.class, e -> {
                    assertThat(e.getMessage()).startsWith("inventory " + file);
                    assertThat(e.field()).contains("client-url");
                    assertThat(e.getMessage()).contains(e.field()).contains(e.reason());
                });
    }

    @Test
    void aGoodInventoryIsLoaded() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("inventory.yaml"), """
                clusters:
                  - id: c1
                    kind: etcd
                    members:
                      - name: etcd-1
                        client-url: http://127.0.0.1:2379
                        peer-url: http://127.0.0.1:2380
                        data-dir: /tmp/etcd-1
                        access:
                          type: local
                """);
        // when
        Inventory inventory = InventoryProducer.load(file);
        // then
        assertThat(inventory.clusters()).extracting(c -> c.id()).containsExactly("c1");
    }
}

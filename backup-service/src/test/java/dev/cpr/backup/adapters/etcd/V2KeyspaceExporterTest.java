package dev.cpr.backup.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class V2KeyspaceExporterTest {

    /** The shape of etcd 3.4's {@code GET /v2/keys/?recursive=true}: the root has no key, directories say dir. */
    private static final String EXPORT = """
            {"action":"get","node":{"dir":true,"nodes":[
              {"key":"/coreos.com","dir":true,"nodes":[
                {"key":"/coreos.com/network","dir":true,"nodes":[
                  {"key":"/coreos.com/network/config","value":"{\\"Network\\":\\"10.1.0.0/16\\"}","modifiedIndex":4,"createdIndex":4},
                  {"key":"/coreos.com/network/subnets","dir":true,"nodes":[
                    {"key":"/coreos.com/network/subnets/10.1.15.0-24","value":"{}","expiration":"2026-11-22T00:00:00Z","ttl":86000,"modifiedIndex":5,"createdIndex":5}
                  ],"modifiedIndex":5,"createdIndex":5}
                ],"modifiedIndex":4,"createdIndex":4}
              ],"modifiedIndex":4,"createdIndex":4},
              {"key":"/empty","dir":true,"modifiedIndex":6,"createdIndex":6},
              {"key":"/top","value":"1","modifiedIndex":7,"createdIndex":7}
            ]}}
            """;

    @Test
    void countsLeafKeysButNotDirectories() throws Exception {
        assertThat(V2KeyspaceExporter.countKeys(new ByteArrayInputStream(EXPORT.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(3);
    }

    @Test
    void aTruncatedExportIsRefused() {
        byte[] cut = EXPORT.substring(0, EXPORT.length() / 2).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> V2KeyspaceExporter.countKeys(new ByteArrayInputStream(cut)))
                .isInstanceOf(java.io.IOException.class);
    }
}

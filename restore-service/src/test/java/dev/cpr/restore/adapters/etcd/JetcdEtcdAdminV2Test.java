package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.restore.config.RestoreConfig;
import java.io.File;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 keyspace restore against a real etcd 3.4 started with {@code --enable-v2} (the sandbox's members run
 * without it): an export in the v2 API's {@code GET /v2/keys/?recursive=true} shape is put back key by key.
 */
class JetcdEtcdAdminV2Test {

    @TempDir
    Path dir;

    private Process etcd;
    private String clientUrl;
    private JetcdEtcdAdmin admin;

    @BeforeEach
    void startEtcdWithV2() throws Exception {
        int client = freePort();
        int peer = freePort();
        clientUrl = "http://127.0.0.1:" + client;
        etcd = new ProcessBuilder("etcd", "--name", "v2", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "v2=http://127.0.0.1:" + peer, "--enable-v2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("true")) {
                    break;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd --enable-v2 did not start: " + Files.readString(dir.resolve("etcd.log")));
            }
            Thread.sleep(100);
        }
        admin = new JetcdEtcdAdmin(config());
    }

    @AfterEach
    void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        etcd.destroy();
        etcd.waitFor();
    }

    @Test
    void everyLeafKeyOfTheExportIsPutBackAndCounted() throws Exception {
        Path export = dir.resolve("v2.json");
        Files.writeString(export, """
                {"action":"get","node":{"dir":true,"nodes":[
                  {"key":"/cluster.local","dir":true,"nodes":[
                    {"key":"/cluster.local/network","dir":true,"nodes":[
                      {"key":"/cluster.local/network/config","value":"{\\"Network\\":\\"10.233.64.0/18\\"}"},
                      {"key":"/cluster.local/network/subnets","dir":true,"nodes":[
                        {"key":"/cluster.local/network/subnets/10.233.68.0-24","value":"{\\"PublicIP\\":\\"172.31.23.192\\"}"},
                        {"key":"/cluster.local/network/subnets/10.233.88.0-24","value":"a value with spaces & symbols"}
                      ]}
                    ]}
                  ]},
                  {"key":"/empty","dir":true}
                ]}}
                """);

        long put = admin.putV2(clientUrl, export);

        assertThat(put).isEqualTo(3);
        assertThat(admin.countV2(clientUrl)).isEqualTo(3);
        String value = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(clientUrl
                + "/v2/keys/cluster.local/network/subnets/10.233.88.0-24")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).path("node").path("value").asText())
                .isEqualTo("a value with spaces & symbols");
    }

    private static RestoreConfig config() {
        RestoreConfig.Etcd etcd = (RestoreConfig.Etcd) Proxy.newProxyInstance(JetcdEtcdAdminV2Test.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.Etcd.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "callTimeout" -> Duration.ofSeconds(3);
                    case "statusTimeout" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RestoreConfig) Proxy.newProxyInstance(JetcdEtcdAdminV2Test.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("etcd")) {
                        return etcd;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

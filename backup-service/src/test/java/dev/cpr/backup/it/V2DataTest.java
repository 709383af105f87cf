package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.adapters.etcd.V2KeyspaceRestorer;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002: a cluster marked {@code backup.v2-data: true} ({@code legacy}, etcd started with {@code --enable-v2}) gets
 * its v2 keyspace exported beside each v3 snapshot; restoring the snapshot and then the export into a wiped cluster
 * brings back both keyspaces.
 */
@QuarkusTest
class V2DataTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path scratch;

    @BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Test
    void aV2ClusterIsBackedUpWithItsV2KeysAndBothKeyspacesComeBackAfterAWipe() throws Exception {
        EtcdCluster legacy = BackupWorld.legacy();
        String url = legacy.members().get(0).clientUrl();
        Map<String, String> v2 = Map.of(
                "/coreos.com/network/config", "{\"Network\":\"10.1.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}",
                "/coreos.com/network/subnets/10.1.15.0-24", "{\"PublicIP\":\"10.0.0.5\"}",
                "/coreos.com/network/subnets/10.1.27.0-24", "{\"PublicIP\":\"10.0.0.6\"}",
                "/odd keys/with space & amp", "v=1&w=2");
        for (Map.Entry<String, String> e : v2.entrySet()) {
            v2Put(url, e.getKey(), e.getValue());
        }
        legacy.putKeys("/v3/", 200);

        String id = Backups.trigger(BackupWorld.LEGACY, null);
        JsonPath backup = Backups.awaitSettled(id);
        assertThat(backup.getString("status")).as(backup.getString("verification")).isEqualTo("verified");
        assertThat(backup.getString("compression")).as("the inventory's compression").isEqualTo("gzip");
        assertThat(backup.getString("verification")).contains("v2 export intact");

        Response export = given().when().get("/api/v1/backups/" + id + "/v2").then().statusCode(200).extract().response();
        assertThat(export.header("X-Cpr-V2-Key-Count")).isEqualTo("4");
        assertThat(export.header("X-Cpr-Sha256")).hasSize(64);
        byte[] v2Export = export.asByteArray();
        byte[] snapshot = given().when().get("/api/v1/backups/" + id + "/download").then().statusCode(200)
                .extract().asByteArray();

        // a wiped v2-enabled member: restore the v3 snapshot into its data dir, start it, put the v2 keys back
        try (EtcdCluster target = EtcdCluster.start(scratch.resolve("target"), "restored", 1, List.of("--enable-v2"))) {
            String member = target.members().get(0).name();
            String targetUrl = target.members().get(0).clientUrl();
            target.stop(member);
            target.wipe(member);
            Path db = scratch.resolve("snapshot.db");
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(snapshot))) {
                Files.copy(in, db);
            }
            String peer = target.members().get(0).peerUrl();
            Process restore = new ProcessBuilder("etcdctl", "snapshot", "restore", db.toString(),
                    "--data-dir", target.members().get(0).dataDir(), "--name", member,
                    "--initial-cluster", member + "=" + peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster-token", target.spec().token())
                    .redirectErrorStream(true).redirectOutput(scratch.resolve("restore.log").toFile()).start();
            restore.getOutputStream().close();
            assertThat(restore.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(restore.exitValue()).as(Files.readString(scratch.resolve("restore.log"))).isZero();
            target.restart(member);
            target.awaitHealthy(Duration.ofSeconds(30));

            long restored = new V2KeyspaceRestorer(Duration.ofSeconds(5)).restore(new ByteArrayInputStream(v2Export),
                    targetUrl);

            assertThat(restored).isEqualTo(4);
            for (Map.Entry<String, String> e : v2.entrySet()) {
                assertThat(v2Get(targetUrl, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(target.countKeys()).as("the v3 keyspace").isEqualTo(backup.getLong("keyCount"));
            ByteSequence key = ByteSequence.from("/v3/000199", StandardCharsets.UTF_8);
            assertThat(target.client().getKVClient().get(key, GetOption.DEFAULT).get(10, TimeUnit.SECONDS).getCount())
                    .isEqualTo(1);
        }
    }

    @Test
    void aClusterWithoutV2DataHasNoV2Export() {
        String id = Backups.trigger("sandbox", null);
        assertThat(Backups.awaitSettled(id).getString("status")).isEqualTo("verified");

        given().when().get("/api/v1/backups/" + id + "/v2").then().statusCode(404).contentType("application/problem+json");
    }

    private static void v2Put(String url, String key, String value) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v2/keys" + path(key)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private static String v2Get(String url, String key) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v2/keys" + path(key))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(key + ": " + response.body()).isEqualTo(200);
        return dev.cpr.contracts.events.EventCodec.mapper().readTree(response.body()).path("node").path("value").asText();
    }

    private static String path(String key) {
        StringBuilder path = new StringBuilder();
        for (String segment : key.split("/")) {
            if (!segment.isEmpty()) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return path.toString();
    }
}

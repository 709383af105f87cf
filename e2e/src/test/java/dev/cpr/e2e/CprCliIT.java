package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cpr command, run as a script would run it, against the world's console: output, JSON and exit codes. */
class CprCliIT {

    private static World world;
    private static String console;
    private static String cluster;

    @TempDir
    Path home;

    @BeforeAll
    static void startTheConsole() {
        world = SharedWorld.get();
        console = SharedWorld.console().url();
        cluster = world.sandbox().etcd().spec().id();
    }

    private CprCli.Run cpr(String token, String... args) {
        return CprCli.run(console, token, home, args);
    }

    private CprCli.Run cprAt(String url, String token, String... args) {
        return CprCli.run(url, token, home, args);
    }

    private String operator() {
        return world.tokens().operator();
    }

    @Test
    void statusListsEveryServiceAndClusterAndExitsZeroOnlyWhenAllIsWell() {
        world.sandbox().etcd().awaitHealthy(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode json = cpr(operator(), "status", "-o", "json").json();
            return json.path("services").findValuesAsText("up").stream().allMatch("true"::equals)
                    && json.toString().contains("\"id\":\"" + cluster + "\"");
        });

        CprCli.Run json = cpr(operator(), "status", "-o", "json");
        CprCli.Run table = cpr(operator(), "status");

        assertThat(json.json().path("services")).hasSize(4);
        assertThat(json.json().path("clusters").findValuesAsText("id")).contains(cluster);
        boolean allHealthy = json.json().path("clusters").findValues("cluster").stream()
                .allMatch(c -> "HEALTHY".equals(c.path("status").asText()));
        assertThat(json.exit()).isEqualTo(allHealthy ? 0 : 1);
        assertThat(table.out()).contains("health-monitor", "backup-service", "restore-service", "notifier")
                .contains(cluster).contains("etcd-1:ok").contains("LAST BACKUP");
    }

    @Test
    void incidentsAndPlansAnswerAsTablesAndAsJson() {
        CprCli.Run incidents = cpr(operator(), "incidents", "-o", "json");
        assertThat(incidents.exit()).isZero();
        assertThat(incidents.json().isArray()).isTrue();
        assertThat(cpr(operator(), "incidents", "--open").out()).startsWith("ID").contains("FAILURE");

        CprCli.Run plans = cpr(operator(), "plans", "-o", "json");
        assertThat(plans.exit()).isZero();
        assertThat(plans.json().isArray()).isTrue();
        assertThat(cpr(operator(), "plans").out()).startsWith("ID").contains("PROGRESS");
        if (!plans.json().isEmpty()) {
            String id = plans.json().get(0).path("id").asText();
            CprCli.Run plan = cpr(operator(), "plan", id);
            assertThat(plan.exit()).isZero();
            assertThat(plan.out()).contains("plan " + id).contains("STEP").contains("ATTEMPTS");
        }
    }

    @Test
    void aDryRunShowsThePlanWithoutStoringIt() {
        CprCli.Run dry = cpr(operator(), "recover", cluster, "--plan", "etcd-member-replace", "--member", "etcd-1", "--dry-run");

        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run, nothing stored").contains("etcd-member-replace").contains("STEP");
        assertThat(cpr(operator(), "plans", "-o", "json").json().findValuesAsText("state")).doesNotContain("PROPOSED");
    }

    @Test
    void aBackupSavedWithWaitIsVerifiedListedAndDownloadsWithItsChecksum() throws IOException {
        CprCli.Run saved = cpr(operator(), "backup", "save", cluster, "--wait", "-o", "json");

        assertThat(saved.exit()).as(saved.err()).isZero();
        assertThat(saved.json().path("status").asText()).isEqualTo("verified");
        String id = saved.json().path("backupId").asText();
        assertThat(cpr(operator(), "backups", cluster, "-o", "json").json().findValuesAsText("backupId")).contains(id);
        assertThat(cpr(operator(), "backups", cluster).out()).contains(id).contains("verified");

        Path file = home.resolve("snapshot.db");
        CprCli.Run download = cpr(operator(), "backup", "download", id, "-f", file.toString());
        assertThat(download.exit()).as(download.err()).isZero();
        assertThat(Files.size(file)).isEqualTo(saved.json().path("sizeBytes").asLong()).isPositive();

        CprCli.Run verify = cpr(operator(), "backup", "verify", id);
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains(id + ": verified");
    }

    @Test
    void aWrongTokenAWrongAddressAMissingRoleAndAnUnknownPlanEachGetOneLineAndTheirExitCode() {
        CprCli.Run badToken = cpr("cpr-expired-token-0000", "status");
        assertThat(badToken.exit()).isEqualTo(4);
        assertThat(badToken.err().lines()).hasSize(1).first().asString().startsWith("cpr: ").contains("refused the token");

        CprCli.Run nobody = cprAt("http://127.0.0.1:1", operator(), "status");
        assertThat(nobody.exit()).isEqualTo(3);
        assertThat(nobody.err().lines()).hasSize(1).first().asString().contains("cannot reach the console at http://127.0.0.1:1");

        CprCli.Run viewer = cpr(world.tokens().viewer(), "approve", UUID.randomUUID().toString());
        assertThat(viewer.exit()).isEqualTo(5);
        assertThat(viewer.err()).startsWith("cpr: forbidden");

        CprCli.Run unknown = cpr(operator(), "plan", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(6);
        assertThat(unknown.err()).startsWith("cpr: not found");
    }

    @Test
    void aServiceThatIsDownShowsAsDownAndTheRestStillAnswers() throws IOException {
        world.service(CprService.NOTIFIER).stop(Duration.ofSeconds(10));
        try {
            CprCli.Run status = cpr(operator(), "status");
            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.out()).containsPattern("notifier\\s+DOWN").contains(cluster);
            assertThat(cpr(operator(), "incidents").exit()).isZero();
        } finally {
            world.restart(CprService.NOTIFIER, Map.of());
        }
    }
}

package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.demo.scenario.Preconditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (headless chromium) against the real world: pages stay live without reloading
 * (a marker set in the page's JavaScript survives every check), a member failure shows and heals, a quorum-loss
 * plan waits, a viewer cannot approve it (no button; a POST from the page gets 403), an operator approves it with
 * the button and its steps run on screen; the overview shows each member's database against the quota and its
 * certificate's end, and the history page charts the recovery (inline SVG) once it ran.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleDashboardIT {

    private static World world;
    private static EtcdCluster etcd;
    private static String cluster;
    private static Browser browser;

    @BeforeAll
    static void startTheConsoleAndABrowser() {
        world = SharedWorld.get();
        String console = SharedWorld.console().url();
        etcd = world.sandbox().etcd();
        cluster = etcd.spec().id();
        browser = new Browser(console);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void aMemberFailureAppearsOnTheOverviewAndHealsWithoutAReload() {
        etcd.awaitHealthy(Duration.ofSeconds(60));
        Preconditions.awaitQuiet(world, Duration.ofSeconds(90));
        browser.logIn(world.tokens().operator());
        browser.open("/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(memberHealth("etcd-3")).isEqualTo("true"));
        browser.script("window.cprNotReloaded = true;");

        etcd.kill("etcd-3");
        etcd.wipe("etcd-3");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(memberHealth("etcd-3")).isEqualTo("false"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(clusterSection().getAttribute("data-status")).isNotEqualTo("HEALTHY"));
        browser.screenshot("overview-member-down");
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            assertThat(memberHealth("etcd-3")).isEqualTo("true");
            assertThat(clusterSection().getAttribute("data-status")).isEqualTo("HEALTHY");
        });
        assertThat(browser.script("return window.cprNotReloaded === true;")).as("the page was never reloaded")
                .isEqualTo(true);
        browser.screenshot("overview");
    }

    @Test
    @Order(2)
    void theOverviewShowsEachMembersDatabaseAgainstTheQuotaAndWhenItsCertificateEnds() {
        browser.open("/");
        // the quota and the certificates are read on health-monitor's slower hash-check round (30 s)
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            for (String member : List.of("etcd-1", "etcd-2", "etcd-3")) {
                WebElement row = clusterSection().findElement(By.cssSelector("tr[data-member='" + member + "']"));
                // the sandbox cluster runs with --quota-backend-bytes of 64 MiB, its members with year-long certificates
                assertThat(row.findElement(By.cssSelector("td[data-db]")).getText())
                        .matches("db [0-9.]+ (KiB|MiB) of 64 MiB \\([0-9.]+ %\\).*");
                assertThat(row.findElement(By.cssSelector("td[data-cert]")).getText())
                        .matches("cert expires in 3[0-9]{2} d");
                assertThat(row.findElement(By.cssSelector("td[data-cert]")).getAttribute("class"))
                        .as("a year away is outside the warning window").doesNotContain("warn");
            }
        });
        browser.screenshot("overview-space-and-certificates");
    }

    private static String quorumPlanId;

    @Test
    @Order(3)
    void aQuorumLossPlanWaitsAndAViewerSeesNoApproveButtonAndCannotPostOne() {
        etcd.awaitHealthy(Duration.ofSeconds(60));
        Preconditions.awaitQuiet(world, Duration.ofSeconds(90));
        String backupService = world.service(CprService.BACKUP_SERVICE).url();
        JsonNode started = Rest.post(backupService + "/api/v1/backups", "{\"cluster\":\"" + cluster + "\"}",
                world.tokens().operator(), 202);
        String backup = backupService + "/api/v1/backups/" + started.get("backupId").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                Rest.get(backup, world.tokens().viewer()).path("status").asText(), status -> status.equals("verified"));

        // every member's data lost: the snapshot is all there is, so cpr proposes etcd-quorum-restore (with a
        // survivor it would rebuild from it instead); the data goes before the processes (see QuorumLossScenario)
        List.of("etcd-1", "etcd-2", "etcd-3").forEach(etcd::wipe);
        etcd.killTogether(List.of("etcd-1", "etcd-2", "etcd-3"));

        String restore = world.service(CprService.RESTORE_SERVICE).url();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode plan : Rest.get(restore + "/api/v1/recoveries?cluster=" + cluster,
                    world.tokens().viewer())) {
                if ("AWAITING_APPROVAL".equals(plan.path("state").asText())) {
                    quorumPlanId = plan.path("id").asText();
                    return true;
                }
            }
            return false;
        });

        browser.logIn(world.tokens().viewer());
        browser.open("/plans/" + quorumPlanId);
        assertThat(textOf(By.id("plan-state"))).isEqualTo("AWAITING_APPROVAL");
        assertThat(textOf(By.id("loss")))
                .as("what approving will lose, before the click").contains("taken").contains("ago").contains("lost");
        assertThat(browser.driver().findElements(By.id("approve"))).as("a viewer's approve button").isEmpty();
        assertThat(textOf(By.id("no-approve"))).contains("viewer");
        browser.screenshot("plan-viewer");

        assertThat(browser.postFromPage("/ui/plans/" + quorumPlanId + "/approve")).as("the dashboard's form action")
                .isEqualTo(403);
        assertThat(browser.postFromPage("/api/v1/plans/" + quorumPlanId + "/approve")).as("the console's API")
                .isEqualTo(403);
        assertThat(Rest.get(restore + "/api/v1/recoveries/" + quorumPlanId, world.tokens().viewer())
                .path("state").asText()).as("the plan after the forged posts").isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    @Order(4)
    void anOperatorApprovesTheQuorumRestoreFromTheDashboardAndItsStepsRunOnScreen() {
        browser.logIn(world.tokens().operator());
        browser.open("/plans/" + quorumPlanId);
        assertThat(textOf(By.id("loss"))).contains("snapshot");
        browser.screenshot("plan-awaiting-approval");

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                browser.driver().findElement(By.id("approve")).click());

        // after the redirect back, the page follows the plan live
        browser.script("window.cprNotReloaded = true;");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.driver().findElements(By.cssSelector("tr[data-state=SUCCEEDED]"))).isNotEmpty());
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.driver().findElement(By.id("plan-state")).getText()).isIn("SUCCEEDED", "FAILED"));
        assertThat(textOf(By.id("plan-state"))).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.driver().findElements(By.cssSelector("tr[data-step]"))).isNotEmpty()
                        .allSatisfy(step -> assertThat(step.getAttribute("data-state")).isIn("SUCCEEDED", "SKIPPED")));
        assertThat(textOf(By.id("decided-by"))).isEqualTo("sandbox-operator");
        assertThat(browser.script("return window.cprNotReloaded === true;")).isEqualTo(true);
        browser.screenshot("plan-succeeded");

        JsonNode plan = Rest.get(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/"
                + quorumPlanId, world.tokens().viewer());
        assertThat(plan.path("decidedBy").asText()).as("restore-service's record of who approved")
                .isEqualTo("sandbox-operator");
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    @Test
    @Order(5)
    void theIncidentPageShowsItsTimelineAndTheBackupsPageItsSnapshots() {
        String incident = Rest.get(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/"
                + quorumPlanId, world.tokens().viewer()).path("incidentId").asText();
        browser.open("/incidents/" + incident);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.driver().findElement(By.cssSelector("table.timeline")).getText())
                        .contains("incident opened: QUORUM_LOST").contains("decided by sandbox-operator")
                        .contains("plan etcd-quorum-restore succeeded"));
        browser.screenshot("incident");

        browser.open("/backups?cluster=" + cluster);
        assertThat(browser.driver().findElements(By.cssSelector("tr[data-status=verified]"))).isNotEmpty();
        browser.screenshot("backups");
    }

    @Test
    @Order(6)
    void theHistoryPageChartsTheRecoveryAndTheBackupsAsSvg() {
        browser.open("/history");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.driver().findElements(By.cssSelector("tr[data-recovery='" + quorumPlanId + "']")))
                    .as("the approved quorum restore in the history's table").hasSize(1);
            assertThat(browser.driver().findElements(
                    By.cssSelector("figure[data-chart=recovery-time] svg rect.bar"))).as("its recovery time").isNotEmpty();
            assertThat(browser.driver().findElements(
                    By.cssSelector("figure[data-chart=backup-size] svg rect.bar"))).as("the verified snapshot's size")
                    .isNotEmpty();
        });
        assertThat(browser.driver().findElements(By.id("no-recoveries"))).isEmpty();
        browser.screenshot("history");
    }

    /**
     * An element's text, read again if the live page replaced the element between finding and reading it (the
     * dashboard re-renders its sections as events arrive).
     */
    private static String textOf(By by) {
        try {
            return await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> browser.driver().findElement(by).getText(), text -> true);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + by + " within 30 s on " + browser.describe(), e);
        }
    }

    private static WebElement clusterSection() {
        return browser.driver().findElement(By.cssSelector("section.cluster[data-cluster='" + cluster + "']"));
    }

    private static String memberHealth(String member) {
        return clusterSection().findElement(By.cssSelector("tr[data-member='" + member + "']"))
                .getAttribute("data-healthy");
    }
}

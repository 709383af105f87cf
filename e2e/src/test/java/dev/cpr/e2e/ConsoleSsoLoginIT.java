package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.oidc.CprRealm;
import dev.cpr.sandbox.oidc.KeycloakServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Logging in through a real OIDC provider (Keycloak, started with the world, the cpr realm of
 * {@code sandbox/src/main/resources/keycloak}): a person logs in to the dashboard on the provider's own login page;
 * the provider's access tokens carry the same roles as cpr's static tokens through the console, the cpr command and
 * every service, which check them themselves; a token whose claims were changed after signing is refused everywhere.
 */
class ConsoleSsoLoginIT {

    private static World world;
    private static KeycloakServer sso;
    private static String console;
    private static Browser browser;

    @TempDir
    Path home;

    @BeforeAll
    static void startTheConsole() {
        world = SharedWorld.get();
        sso = world.sso().orElseThrow(() -> new AssertionError("the e2e world on the system's etcd starts Keycloak"));
        console = SharedWorld.console().url();
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anOperatorLogsInOnTheProvidersPageAndTheDashboardNamesThemWithTheirRole() {
        browser = new Browser(console);
        browser.open("/logout");
        browser.screenshot("login-with-sso");
        browser.driver().findElement(By.id("login-sso")).click();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.driver().getCurrentUrl()).as("the provider's login page").startsWith(sso.issuer()));
        browser.driver().findElement(By.id("username")).sendKeys(CprRealm.ONCALL.username());
        browser.driver().findElement(By.id("password")).sendKeys(CprRealm.ONCALL.password());
        browser.screenshot("login-sso-provider");
        browser.driver().findElement(By.id("kc-login")).click();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.driver().findElement(By.id("who")).getText())
                        .as(browser.describe()).startsWith("oidc:oncall (operator)"));
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(console + "/");
        assertThat(browser.driver().manage().getCookieNamed("cpr_token").isHttpOnly()).isTrue();
        browser.screenshot("overview-sso");
    }

    @Test
    void aViewersAccessTokenReadsThroughTheConsoleAndFromEveryServiceButMayNotAct() throws Exception {
        String reader = sso.passwordGrant(CprRealm.READER.username(), CprRealm.READER.password());

        assertThat(Rest.get(console + "/api/v1/status", reader).path("services").size()).isEqualTo(4);
        assertThat(Rest.get(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries", reader).isArray())
                .as("restore-service checks the provider's token itself").isTrue();
        assertThat(Rest.get(world.service(CprService.BACKUP_SERVICE).url() + "/api/v1/backups", reader).isArray())
                .isTrue();
        Rest.post(console + "/api/v1/plans/no-such-plan/approve", "{}", reader, 403);
        Rest.post(world.service(CprService.BACKUP_SERVICE).url() + "/api/v1/backups",
                "{\"cluster\":\"" + world.sandbox().etcd().spec().id() + "\"}", reader, 403);
    }

    @Test
    void theCprCommandTakesAnOperatorsAccessTokenAndAViewersIsRefusedTheRecovery() throws Exception {
        String cluster = world.sandbox().etcd().spec().id();
        String oncall = sso.passwordGrant(CprRealm.ONCALL.username(), CprRealm.ONCALL.password());
        String reader = sso.passwordGrant(CprRealm.READER.username(), CprRealm.READER.password());

        CprCli.Run dry = CprCli.run(console, oncall, home, "recover", cluster, "--plan", "etcd-member-replace",
                "--member", "etcd-1", "--dry-run");
        CprCli.Run refused = CprCli.run(console, reader, home, "recover", cluster, "--plan", "etcd-member-replace",
                "--member", "etcd-1", "--dry-run");

        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run, nothing stored").contains("etcd-member-replace");
        assertThat(refused.exit()).as("exit code 5: the role may not do that").isEqualTo(5);
    }

    @Test
    void aTokenWhoseRoleWasRaisedAfterSigningIsRefusedByTheConsoleAndTheServices() throws Exception {
        String reader = sso.passwordGrant(CprRealm.READER.username(), CprRealm.READER.password());
        String[] parts = reader.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"viewer\"");
        String raised = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"viewer\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
        String forged = parts[0] + "." + raised + "." + parts[2];

        assertThatThrownBy(() -> Rest.get(console + "/api/v1/status", forged)).hasMessageContaining("answered 401");
        assertThatThrownBy(() -> Rest.get(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries",
                forged)).hasMessageContaining("answered 401");
        CprCli.Run status = CprCli.run(console, forged, home, "status");
        assertThat(status.exit()).as("exit code 4: the token was refused").isEqualTo(4);
    }
}

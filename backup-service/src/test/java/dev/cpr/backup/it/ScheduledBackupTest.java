package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test inventory ({@link BackupWorld}) schedules cluster {@code sandbox} on {@code 0/20 * * * * ?}. */
@QuarkusTest
class ScheduledBackupTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Test
    void theConfiguredCronTakesVerifiedBackupsOnItsSlots() {
        Instant notBefore = Instant.now().minusSeconds(60);

        Map<String, Object> scheduled = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> cronBackups(notBefore).stream().filter(b -> "verified".equals(b.get("status"))).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();

        Instant slot = Instant.parse((String) scheduled.get("scheduledFor"));
        assertThat(slot.getEpochSecond() % 20).as("a 0/20 cron slot").isZero();
        assertThat(slot).isAfter(notBefore);
    }

    private static List<Map<String, Object>> cronBackups(Instant notBefore) {
        List<Map<String, Object>> all = given().when().get("/api/v1/backups?cluster=sandbox")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream()
                .filter(b -> "scheduled".equals(b.get("trigger")) && b.get("scheduledFor") != null
                        && Instant.parse((String) b.get("scheduledFor")).isAfter(notBefore))
                .toList();
    }
}

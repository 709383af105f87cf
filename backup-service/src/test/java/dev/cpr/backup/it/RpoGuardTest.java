package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test profile gives cluster {@code sandbox} an RPO of 1 h; the app starts with an empty catalog. */
@QuarkusTest
class RpoGuardTest {

    @Test
    void aClusterWithoutAVerifiedBackupGetsOneAtOnceAndTheBreachIsAMetric() {
        List<Map<String, Object>> rpoBackups = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/api/v1/backups?cluster=sandbox").then().statusCode(200)
                                .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                                .filter(b -> "rpo".equals(b.get("trigger"))).toList(),
                        list -> !list.isEmpty());

        assertThat(rpoBackups).hasSize(1);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("cpr_backup_rpo_breached{cluster=\"sandbox\"}"));
    }
}

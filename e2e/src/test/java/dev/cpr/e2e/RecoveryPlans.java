package dev.cpr.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A cluster's recovery plans as restore-service shows them over REST, read through its front ({@link World#url}): a
 * test that stops or kills a replica still reads them from another.
 */
final class RecoveryPlans {

    private RecoveryPlans() {
    }

    static boolean isFinal(String state) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED", "REJECTED").contains(state);
    }

    /** {@code name:state:attempts} of each step. */
    static List<String> stepsOf(JsonNode plan) {
        List<String> steps = new ArrayList<>();
        plan.path("steps").forEach(s -> steps.add(s.path("name").asText() + ":" + s.path("state").asText() + ":"
                + s.path("attempts").asInt()));
        return steps;
    }

    /** The first plan of the cluster made after {@code since} that matches, read over REST (which may be down a while). */
    static JsonNode awaitPlan(World world, String cluster, Instant since, Predicate<JsonNode> match, Duration timeout,
            String failure) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await(failure).atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            plansSince(world, cluster, since).stream().filter(match).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return plan(world, found.get().path("id").asText());
    }

    static JsonNode plan(World world, String id) {
        return Rest.get(world.url(CprService.RESTORE_SERVICE) + "/api/v1/recoveries/" + id, world.tokens().viewer());
    }

    static List<JsonNode> plansSince(World world, String cluster, Instant since) {
        JsonNode plans = Rest.get(world.url(CprService.RESTORE_SERVICE) + "/api/v1/recoveries?cluster="
                + URLEncoder.encode(cluster, StandardCharsets.UTF_8), world.tokens().viewer());
        List<JsonNode> made = new ArrayList<>();
        plans.forEach(p -> {
            if (Instant.parse(p.path("createdAt").asText()).isAfter(since)) {
                made.add(p);
            }
        });
        return made;
    }
}

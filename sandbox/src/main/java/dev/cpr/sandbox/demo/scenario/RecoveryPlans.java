package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * scenario or test that stops or kills a replica still reads them from another.
 */
public final class RecoveryPlans {

    private RecoveryPlans() {
    }

    public static boolean isFinal(String state) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED", "REJECTED").contains(state);
    }

    /** {@code name:state:attempts} of each step. */
    public static List<String> stepsOf(JsonNode plan) {
        List<String> steps = new ArrayList<>();
        plan.path("steps").forEach(s -> steps.add(s.path("name").asText() + ":" + s.path("state").asText() + ":"
                + s.path("attempts").asInt()));
        return steps;
    }

    /**
     * The first plan of the cluster made after {@code since} that matches, read over REST (which may be down a while:
     * a failed read is polled again); throws {@link IllegalStateException} with {@code failure} if none within the
     * timeout.
     */
    public static JsonNode awaitPlan(World world, String cluster, Instant since, Predicate<JsonNode> match,
            Duration timeout, String failure) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        boolean matched = Pause.until(() -> {
            try {
                plansSince(world, cluster, since).stream().filter(match).findFirst().ifPresent(found::set);
            } catch (RuntimeException e) {
                // restore-service's front has no live replica this instant: read again at the next poll
            }
            return found.get() != null;
        }, timeout);
        if (!matched) {
            throw new IllegalStateException(failure);
        }
        return plan(world, found.get().path("id").asText());
    }

    public static JsonNode plan(World world, String id) {
        return get(world, "/api/v1/recoveries/" + id);
    }

    public static List<JsonNode> plansSince(World world, String cluster, Instant since) {
        JsonNode plans = get(world, "/api/v1/recoveries?cluster=" + URLEncoder.encode(cluster, StandardCharsets.UTF_8));
        List<JsonNode> made = new ArrayList<>();
        plans.forEach(p -> {
            if (Instant.parse(p.path("createdAt").asText()).isAfter(since)) {
                made.add(p);
            }
        });
        return made;
    }

    private static JsonNode get(World world, String path) {
        try {
            return ServiceCalls.send(world.url(CprService.RESTORE_SERVICE) + path, "GET", null,
                    world.tokens().viewer(), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.EventWatcher;
import dev.cpr.sandbox.demo.scenario.Preconditions;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.kafka.KafkaBroker;
import dev.cpr.sandbox.postgres.PostgresServer;
import dev.cpr.sandbox.support.Ports;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

/**
 * Issue #15's faults: the message bus or the database restarted while a member is being replaced. The recovery
 * goes on or waits, and then finishes: one plan for the incident, no step run twice, every update delivered, the
 * incident resolved, no key lost.
 */
class RecoveryThroughRestartsIT {

    private static final String VICTIM = "etcd-3";
    private static final Duration DOWN_FOR = Duration.ofSeconds(8);

    @Test
    void aMemberLossBeingRecoveredWhileKafkaRestartsIsRecoveredOnceWithEveryUpdateDelivered() throws Exception {
        World world = SharedWorld.get();
        KafkaBroker kafka = world.sandbox().kafka();
        recoverWhileRestarting(world, "Kafka", kafka::stopKeepingData, () -> !kafka.isRunning(), kafka::startAgain);
    }

    @Test
    void aMemberLossBeingRecoveredWhilePostgresqlRestartsIsRecoveredOnceWithoutRepeatingAStep() throws Exception {
        World world = SharedWorld.get();
        PostgresServer postgres = world.sandbox().postgres();
        recoverWhileRestarting(world, "PostgreSQL", postgres::stopKeepingData, () -> !Ports.accepts(postgres.port()),
                postgres::startAgain);
    }

    private static void recoverWhileRestarting(World world, String what, Runnable stop, BooleanSupplier isDown,
            Runnable start) throws Exception {
        EtcdCluster etcd = world.sandbox().etcd();
        String cluster = etcd.spec().id();
        etcd.awaitHealthy(Duration.ofSeconds(60));
        Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
        etcd.putKeys("/e2e/restarts/" + what + "/", 1_000);
        long keysBefore = etcd.countKeys();
        Instant faultAt = Instant.now();

        List<String> deadLetters = deadLetterTopics(world);
        List<String> watched = new ArrayList<>(deadLetters);
        watched.add(Topics.RECOVERIES);
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                watched.toArray(String[]::new))) {
            // given a member that lost its data, and the plan replacing it running
            etcd.kill(VICTIM);
            etcd.deleteWal(VICTIM);
            JsonNode running = awaitPlan(world, cluster, faultAt, plan -> "RUNNING".equals(plan.path("state").asText()),
                    Duration.ofSeconds(60), "no plan RUNNING for " + cluster + " after " + VICTIM + " lost its data");
            String planId = running.path("id").asText();

            // when the dependency stops in the middle of it, stays away a while, and comes back
            stop.run();
            System.out.printf("[e2e] %s stopped while plan %s was RUNNING (%s)%n", what, planId, stepsOf(running));
            await(what + " stays down").during(DOWN_FOR).atMost(DOWN_FOR.plusSeconds(5)).until(isDown::getAsBoolean);
            start.run();
            System.out.printf("[e2e] %s started again after %d ms%n", what, Duration.between(faultAt, Instant.now()).toMillis());

            // then the same plan finishes, every step done once
            JsonNode finished = awaitPlan(world, cluster, faultAt,
                    plan -> planId.equals(plan.path("id").asText()) && isFinal(plan.path("state").asText()),
                    Duration.ofSeconds(120), "plan " + planId + " did not finish after " + what + " came back");
            System.out.printf("[e2e] plan %s %s: %s%n", planId, finished.path("state").asText(), stepsOf(finished));
            assertThat(finished.path("state").asText()).as(finished.path("message").asText()).isEqualTo("SUCCEEDED");
            assertThat(stepsOf(finished)).allSatisfy(step -> assertThat(step).matches(".*:(SUCCEEDED|SKIPPED):[01]"));

            // and it is the only plan made for the incident
            assertThat(plansSince(world, cluster, faultAt)).extracting(p -> p.path("id").asText()).containsExactly(planId);

            // and its final update reached Kafka, through the outbox, after the restart
            Optional<EventWatcher.Seen> delivered = events.await(seen -> EventTypes.RECOVERY_UPDATED.equals(seen.event().type())
                    && planId.equals(seen.data(RecoveryUpdate.class).planId())
                    && seen.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(60));
            assertThat(delivered).as("the plan's final update on " + Topics.RECOVERIES).isPresent();

            // and no consumer gave up on an event while the dependency was away: nothing was dead-lettered
            assertThat(events.seen()).filteredOn(seen -> deadLetters.contains(seen.topic()))
                    .extracting(seen -> seen.topic() + " " + seen.event().type() + " " + seen.event().subject())
                    .isEmpty();
        }

        // and the cluster is whole and quiet again: the incident resolved, no key lost
        assertThat(etcd.isHealthy(VICTIM)).isTrue();
        assertThat(etcd.countKeys()).isEqualTo(keysBefore);
        Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
    }

    /** Every consumer's dead-letter topics, created now if no record went to them yet, so they can be watched. */
    private static List<String> deadLetterTopics(World world) throws Exception {
        List<String> topics = List.of(
                Topics.deadLetter(Topics.INCIDENTS, "restore-service"), Topics.deadLetter(Topics.INCIDENTS, "notifier"),
                Topics.deadLetter(Topics.INCIDENTS, "backup-service"), Topics.deadLetter(Topics.RECOVERIES, "notifier"),
                Topics.deadLetter(Topics.APPROVALS, "restore-service"), Topics.deadLetter(Topics.BACKUPS, "notifier"));
        try (Admin admin = world.sandbox().kafka().admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, KafkaBroker.PARTITIONS, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        return topics;
    }

    private static boolean isFinal(String state) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED", "REJECTED").contains(state);
    }

    private static List<String> stepsOf(JsonNode plan) {
        List<String> steps = new ArrayList<>();
        plan.path("steps").forEach(s -> steps.add(s.path("name").asText() + ":" + s.path("state").asText() + ":"
                + s.path("attempts").asInt()));
        return steps;
    }

    /** The first plan of the cluster made after {@code since} that matches, read over REST (which may be down a while). */
    private static JsonNode awaitPlan(World world, String cluster, Instant since,
            Predicate<JsonNode> match, Duration timeout, String failure) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await(failure).atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            plansSince(world, cluster, since).stream().filter(match).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        String id = found.get().path("id").asText();
        return Rest.get(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/" + id,
                world.tokens().viewer());
    }

    private static List<JsonNode> plansSince(World world, String cluster, Instant since) {
        JsonNode plans = Rest.get(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries?cluster="
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

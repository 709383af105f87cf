package dev.cpr.e2e;

import static dev.cpr.sandbox.demo.scenario.RecoveryPlans.awaitPlan;
import static dev.cpr.sandbox.demo.scenario.RecoveryPlans.isFinal;
import static dev.cpr.sandbox.demo.scenario.RecoveryPlans.plansSince;
import static dev.cpr.sandbox.demo.scenario.RecoveryPlans.stepsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.DeadLetterTopics;
import dev.cpr.sandbox.demo.scenario.EventWatcher;
import dev.cpr.sandbox.demo.scenario.Preconditions;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.kafka.KafkaBroker;
import dev.cpr.sandbox.postgres.PostgresServer;
import dev.cpr.sandbox.support.Ports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
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

        List<String> deadLetters = DeadLetterTopics.created(world);
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
}

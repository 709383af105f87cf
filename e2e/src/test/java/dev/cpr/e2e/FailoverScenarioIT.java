package dev.cpr.e2e;

import static dev.cpr.e2e.RecoveryPlans.awaitPlan;
import static dev.cpr.e2e.RecoveryPlans.isFinal;
import static dev.cpr.e2e.RecoveryPlans.plan;
import static dev.cpr.e2e.RecoveryPlans.plansSince;
import static dev.cpr.e2e.RecoveryPlans.stepsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.ServiceProcess;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.EventWatcher;
import dev.cpr.sandbox.demo.scenario.Preconditions;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.postgres.PostgresServer;
import dev.cpr.sandbox.slack.SimMessage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #15's failover scenario: two replicas of every service, a member lost, and while its plan runs one replica
 * of each service is killed with {@code kill -9} (the one that matters: restore-service's running the plan,
 * health-monitor's holding the cluster's lease). The cluster heals all the same: one plan, no step done before the
 * kill run again, one Slack thread with no message in it twice, nothing dead-lettered, the killed health-monitor's
 * clusters watched by the other within 10 s.
 */
class FailoverScenarioIT {

    private static final String VICTIM = "etcd-2";
    /** Issue #15: a killed health-monitor's clusters are watched by another replica within this. */
    private static final Duration TAKEOVER_WITHIN = Duration.ofSeconds(10);

    /** Passed or failed, the tests after this one meet one replica of each service, each running, as before. */
    @AfterEach
    void leaveOneReplicaOfEach() throws Exception {
        World world = SharedWorld.get();
        for (CprService service : CprService.values()) {
            world.resetToDefaults(service);
        }
        world.stopSecondReplicas();
    }

    @Test
    void aMemberLossRecoveredWhileOneReplicaOfEveryServiceIsKilledHealsOnceWithOneSlackThread() throws Exception {
        World world = SharedWorld.get();
        long t0 = System.nanoTime();
        EtcdCluster etcd = world.sandbox().etcd();
        String cluster = etcd.spec().id();
        etcd.awaitHealthy(Duration.ofSeconds(60));
        Preconditions.awaitQuiet(world, Duration.ofSeconds(60));

        // given two replicas of every service, the health-monitors sharing the clusters between them
        world.startSecondReplicas(line -> System.out.println("[e2e] " + line));
        await("both health-monitor replicas hold leases").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> Set.copyOf(leaseOwners(world).values()).size() == 2);
        etcd.putKeys("/e2e/failover/", 1_000);
        long keysBefore = etcd.countKeys();
        Instant faultAt = Instant.now();

        List<String> deadLetters = DeadLetterTopics.created(world);
        List<String> watched = new ArrayList<>(deadLetters);
        watched.add(Topics.INCIDENTS);
        watched.add(Topics.RECOVERIES);
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                watched.toArray(String[]::new))) {
            // and a member that lost its data, the plan replacing it running
            etcd.kill(VICTIM);
            etcd.deleteWal(VICTIM);
            // (its first step done, so that the survivor must go on from the middle)
            JsonNode running = awaitPlan(world, cluster, faultAt, plan -> "RUNNING".equals(plan.path("state").asText())
                            && stepsOf(plan).stream().anyMatch(step -> step.contains(":SUCCEEDED:")),
                    Duration.ofSeconds(60), "no plan RUNNING with a step done for " + cluster + " after " + VICTIM
                            + " lost its data");
            String planId = running.path("id").asText();

            // when one replica of each is killed with kill -9: the plan's runner, the cluster's watcher, and one of
            // the notifier's and backup-service's
            Map<CprService, ServiceProcess> killed = new EnumMap<>(CprService.class);
            killed.put(CprService.RESTORE_SERVICE, runnerOf(world, planId));
            Map<String, String> ownersBefore = leaseOwners(world);
            killed.put(CprService.HEALTH_MONITOR, replicaWithId(world, CprService.HEALTH_MONITOR, ownersBefore.get(cluster)));
            killed.put(CprService.NOTIFIER, world.replicas(CprService.NOTIFIER).get(0));
            killed.put(CprService.BACKUP_SERVICE, world.replicas(CprService.BACKUP_SERVICE).get(1));
            List<String> stepsAtKill = stepsOf(plan(world, planId));
            Instant killedAt = Instant.now();
            for (ServiceProcess replica : killed.values()) {
                replica.kill();
            }
            System.out.printf("[e2e] killed %s %d ms after the fault, plan %s at %s%n",
                    killed.entrySet().stream().map(e -> idOf(world, e.getKey(), e.getValue())).toList(),
                    Duration.between(faultAt, killedAt).toMillis(), planId, stepsAtKill);

            // then the killed health-monitor's clusters are the survivor's within 10 s
            String killedMonitor = ownersBefore.get(cluster);
            Set<String> itsClusters = ownersBefore.entrySet().stream().filter(e -> e.getValue().equals(killedMonitor))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            String survivor = idOf(world, CprService.HEALTH_MONITOR, survivorOf(world, CprService.HEALTH_MONITOR, killed));
            await("the clusters " + itsClusters + " of " + killedMonitor + " taken over by " + survivor)
                    .atMost(TAKEOVER_WITHIN).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<String, String> owners = leaseOwners(world);
                        return itsClusters.stream().allMatch(c -> survivor.equals(owners.get(c)));
                    });
            long takeoverMs = Duration.between(killedAt, Instant.now()).toMillis();
            System.out.printf("[e2e] %s owns %s %d ms after the kill%n", survivor, itsClusters, takeoverMs);

            // and the same plan finishes, run on by the surviving restore-service, no step done before the kill
            // run again (the one interrupted may be tried once more)
            JsonNode finished = awaitPlan(world, cluster, faultAt,
                    plan -> planId.equals(plan.path("id").asText()) && isFinal(plan.path("state").asText()),
                    Duration.ofSeconds(120), "plan " + planId + " did not finish after its runner was killed");
            long recoveredMs = Duration.between(faultAt, Instant.now()).toMillis();
            System.out.printf("[e2e] plan %s %s %d ms after the fault (runner now %s): %s%n", planId,
                    finished.path("state").asText(), recoveredMs, runnerId(world, planId), stepsOf(finished));
            assertThat(finished.path("state").asText()).as(finished.path("message").asText()).isEqualTo("SUCCEEDED");
            assertThat(runnerId(world, planId)).as("the plan's runner at the end: the surviving restore-service")
                    .endsWith(":" + survivorOf(world, CprService.RESTORE_SERVICE, killed).port());
            assertThat(stepsOf(finished)).allSatisfy(step -> assertThat(step).matches(".*:(SUCCEEDED|SKIPPED):[012]"));
            stepsAtKill.stream().filter(step -> step.contains(":SUCCEEDED:"))
                    .forEach(done -> assertThat(stepsOf(finished)).as("a step done before the kill").contains(done));

            // and it is the only plan made for the incident
            assertThat(plansSince(world, cluster, faultAt)).extracting(p -> p.path("id").asText()).containsExactly(planId);

            // and the plan's final update reached Kafka, and no consumer gave up on an event
            IncidentOpened incident = events.await(EventWatcher.incidentOpened(cluster,
                    i -> i.failure() == FailureKind.MEMBER_UNHEALTHY && i.failedMembers().contains(VICTIM)),
                    Duration.ofSeconds(5)).orElseThrow().data(IncidentOpened.class);
            long detectedMs = Duration.between(faultAt, incident.firstSeenAt()).toMillis();
            assertThat(events.await(seen -> EventTypes.RECOVERY_UPDATED.equals(seen.event().type())
                    && planId.equals(seen.data(RecoveryUpdate.class).planId())
                    && seen.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(60)))
                    .as("the plan's final update on " + Topics.RECOVERIES).isPresent();

            // and Slack shows one thread for the incident, with the plan's progress and the resolution once each
            String resolved = "Resolved: " + cluster + " is healthy again";
            SimMessage top = await("the incident's thread in Slack, resolved").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200)).until(() -> threadOf(world, cluster, faultAt),
                            thread -> thread != null && repliesOf(world, thread).stream()
                                    .anyMatch(m -> m.text().startsWith(resolved)));
            await("the notifiers' Slack outbox drained").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> pendingSlackRows(world) == 0);
            List<SimMessage> sinceFault = world.slack().messages().stream()
                    .filter(m -> m.postedAt().isAfter(faultAt)).toList();
            System.out.printf("[e2e] Slack since the fault: %s%n", sinceFault.stream()
                    .map(m -> (m.threadTs() == null ? "" : "  ") + m.ts() + " " + m.text()).toList());
            assertThat(sinceFault).filteredOn(m -> m.threadTs() == null && isAboutTheIncident(m, cluster))
                    .as("top-level messages of the incident").extracting(SimMessage::ts).containsExactly(top.ts());
            assertThat(repliesOf(world, top)).extracting(m -> m.text().startsWith("Recovery ") ? "progress"
                    : m.text().startsWith(resolved) ? "resolution" : m.text())
                    .containsExactlyInAnyOrder("progress", "resolution");
            // (every post carries its notifier message's id in Slack metadata: two posts of one message share it)
            Map<String, Long> copies = sinceFault.stream().filter(m -> m.metadata() != null).collect(Collectors.groupingBy(
                    m -> m.metadata().path("event_payload").path("message_id").asText(), Collectors.counting()));
            assertThat(copies).as("notifier messages (by message_id) posted to Slack more than once")
                    .isNotEmpty().allSatisfy((message, count) -> assertThat(count).as(message).isEqualTo(1L));

            assertThat(events.seen()).filteredOn(seen -> deadLetters.contains(seen.topic()))
                    .extracting(seen -> seen.topic() + " " + seen.event().type() + " " + seen.event().subject())
                    .isEmpty();

            // and the cluster is whole again, no key lost
            assertThat(etcd.isHealthy(VICTIM)).isTrue();
            assertThat(etcd.countKeys()).isEqualTo(keysBefore);
            System.out.printf("[e2e] failover: detected_ms=%d recovered_ms=%d takeover_ms=%d, test %d s%n",
                    detectedMs, recoveredMs, takeoverMs, Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        }
        Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
    }

    /** The restore-service replica whose runner id ({@code <host>:<http port>}) holds the plan's lease. */
    private static ServiceProcess runnerOf(World world, String planId) {
        // a plan shows RUNNING as soon as it is decided; its runner takes the lease a moment later
        String runner = await("plan " + planId + " taken by a runner").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> runnerId(world, planId), Objects::nonNull);
        return world.replicas(CprService.RESTORE_SERVICE).stream()
                .filter(r -> runner != null && runner.endsWith(":" + r.port())).findFirst()
                .orElseThrow(() -> new AssertionError("no restore-service replica is the runner " + runner));
    }

    private static ServiceProcess replicaWithId(World world, CprService service, String id) {
        List<ServiceProcess> replicas = world.replicas(service);
        for (int i = 0; i < replicas.size(); i++) {
            if (World.replicaId(service, i).equals(id)) {
                return replicas.get(i);
            }
        }
        throw new AssertionError("no " + service.module() + " replica with the id " + id);
    }

    private static String idOf(World world, CprService service, ServiceProcess replica) {
        return World.replicaId(service, world.replicas(service).indexOf(replica));
    }

    private static ServiceProcess survivorOf(World world, CprService service, Map<CprService, ServiceProcess> killed) {
        return world.replicas(service).stream().filter(r -> r != killed.get(service)).findFirst().orElseThrow();
    }

    /** cluster -> the health-monitor replica holding its unexpired lease (its name is its CPR_REPLICA_ID). */
    private static Map<String, String> leaseOwners(World world) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        try (Connection c = connect(world); PreparedStatement s = c.prepareStatement(
                "select cluster_id, owner from health_monitor.cluster_lease where expires_at > now()");
                ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                owners.put(rows.getString(1), rows.getString(2));
            }
        }
        return owners;
    }

    private static long pendingSlackRows(World world) throws SQLException {
        try (Connection c = connect(world); PreparedStatement s = c.prepareStatement(
                "select count(*) from notifier.slack_outbox where state = 'PENDING'");
                ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The incident's top-level message in Slack, posted since the fault; null while there is none. */
    private static SimMessage threadOf(World world, String cluster, Instant since) {
        return world.slack().messages().stream().filter(m -> m.threadTs() == null && m.postedAt().isAfter(since)
                && isAboutTheIncident(m, cluster)).findFirst().orElse(null);
    }

    /** The incident's message, as posted or as updated once it resolved (the simulator keeps the current text). */
    private static boolean isAboutTheIncident(SimMessage message, String cluster) {
        return message.text().startsWith("Incident on " + cluster + ":")
                || message.text().startsWith("Resolved: incident on " + cluster + ":");
    }

    private static List<SimMessage> repliesOf(World world, SimMessage top) {
        return world.slack().replies(top.ts());
    }

    private static String runnerId(World world, String planId) throws SQLException {
        try (Connection c = connect(world); PreparedStatement s = c.prepareStatement(
                "select runner_id from restore_service.recovery_plan where id = ?")) {
            s.setString(1, planId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static Connection connect(World world) throws SQLException {
        PostgresServer postgres = world.sandbox().postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}

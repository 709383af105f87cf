package dev.cpr.sandbox.demo.scenario;

import static dev.cpr.sandbox.demo.scenario.RecoveryPlans.isFinal;
import static dev.cpr.sandbox.demo.scenario.RecoveryPlans.stepsOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.ServiceProcess;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.slack.SimMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Issue #15's failover: two replicas of every service, a member lost, and while its plan runs one replica of each
 * service is killed with {@code kill -9} (the ones that matter: restore-service's running the plan, health-monitor's
 * holding the cluster's lease, and one notifier and backup-service). The cluster must heal all the same: one plan,
 * no step done before the kill run again, one Slack thread with no message in it twice, nothing dead-lettered, the
 * killed health-monitor's clusters watched by the other within 10 s. Prometheus scrapes every replica: all up before
 * the kill, the killed ones down after it, and the cluster's gauges come from the one health-monitor watching it,
 * before and after the takeover. Whatever the outcome, the world is left with one replica of each service running,
 * as it started.
 */
public final class FailoverScenario implements Scenario {

    public static final String NAME = "failover";
    static final String VICTIM = "etcd-2";
    static final int KEYS = 1_000;
    /** Issue #15: a killed health-monitor's clusters are watched by another replica within this. */
    static final Duration TAKEOVER_WITHIN = Duration.ofSeconds(10);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "two replicas of every service; while a lost member is replaced, one of each is killed -9: one plan "
                + "heals it, one Slack thread, nothing twice";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        try {
            etcd.awaitHealthy(Duration.ofSeconds(60));
            Preconditions.awaitQuiet(world, clusterId, Duration.ofSeconds(60));
            world.startSecondReplicas(line -> progress.say(NAME + ": " + line));
            List<String> deadLetters = DeadLetterTopics.created(world);
            List<String> watched = new ArrayList<>(deadLetters);
            watched.add(Topics.INCIDENTS);
            watched.add(Topics.RECOVERIES);
            try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                    watched.toArray(String[]::new))) {
                return play(new ClusterRun(NAME, world, progress, result, events, etcd, clusterId), deadLetters);
            }
        } catch (ClusterRun.Failure e) {
            return result.put("error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        } catch (Exception e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            leaveOneReplicaOfEach(world, progress);
        }
    }

    private ScenarioResult play(ClusterRun run, List<String> deadLetters) throws Exception {
        World world = run.world();
        EtcdCluster etcd = run.etcd();
        String cluster = run.clusterId();
        ScenarioResult result = run.result();
        result.put("detected_ms", null).put("recovered_ms", null).put("killed", null).put("takeover_ms", null)
                .put("plans_for_cluster", null).put("plan_state", null).put("steps_run_twice", null)
                .put("slack_threads", null).put("slack_duplicates", null).put("dead_lettered", null);

        // given both health-monitor replicas sharing the clusters between them
        if (!Pause.until(() -> Set.copyOf(leaseOwners(world).values()).size() == 2, Duration.ofSeconds(30))) {
            throw run.fail("the two health-monitor replicas did not both hold leases within 30 s: " + leaseOwners(world));
        }
        // and Prometheus scraping every replica, the cluster's gauges coming from its watching replica only
        String watcher = leaseOwners(world).get(cluster);
        Map<String, String> upBefore = new TreeMap<>();
        boolean allUp = Pause.until(() -> {
            upBefore.clear();
            upBefore.putAll(upByReplica(world));
            return upBefore.size() == 2 * CprService.values().length && upBefore.values().stream()
                    .allMatch("1"::equals);
        }, Duration.ofSeconds(30));
        List<String> sourcesBefore = awaitGaugeSources(world, cluster, watcher);
        Map<String, List<String>> gaugeSources = new TreeMap<>(Map.of("before", sourcesBefore));
        result.put("prometheus_targets_up_before", upBefore).put("prometheus_targets_up_after", null)
                .put("cluster_gauge_sources", gaugeSources);
        run.say("prometheus: up " + upBefore + "; " + cluster + "'s gauges from " + sourcesBefore + " (lease: "
                + watcher + ")");
        if (!allUp) {
            throw run.fail("prometheus did not see all " + 2 * CprService.values().length + " replicas up within 30 s: "
                    + upBefore);
        }

        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        long keysBefore = etcd.countKeys();
        result.put("keys_before", keysBefore).put("keys_after", null);

        // and a member that lost its data, the plan replacing it running with its first step done
        run.say(keysBefore + " keys; killing " + VICTIM + " and deleting its WAL");
        Instant faultAt = run.inject();
        etcd.kill(VICTIM);
        etcd.deleteWal(VICTIM);
        IncidentOpened incident = run.awaitIncident(EventWatcher.incidentOpened(cluster,
                i -> i.failure() == FailureKind.MEMBER_UNHEALTHY && i.failedMembers().contains(VICTIM)),
                Duration.ofSeconds(60), "no incident.opened for " + VICTIM + " within 60 s");
        JsonNode running = RecoveryPlans.awaitPlan(world, cluster, faultAt,
                plan -> "RUNNING".equals(plan.path("state").asText())
                        && stepsOf(plan).stream().anyMatch(step -> step.contains(":SUCCEEDED:")),
                Duration.ofSeconds(60), "no plan RUNNING with a step done within 60 s of " + VICTIM
                        + " losing its data");
        String planId = running.path("id").asText();
        result.put("plan_id", planId);

        // when one replica of each is killed with kill -9
        Map<CprService, ServiceProcess> killed = new EnumMap<>(CprService.class);
        killed.put(CprService.RESTORE_SERVICE, runnerOf(run, planId));
        // on a loaded machine the cluster's lease can be between holders for a moment (a renewal missed): the replica
        // to kill is the one watching it, so wait until one does
        if (!Pause.until(() -> leaseOwners(world).containsKey(cluster), Duration.ofSeconds(30))) {
            throw run.fail("no health-monitor replica held " + cluster + "'s lease within 30 s: " + leaseOwners(world));
        }
        Map<String, String> ownersBefore = leaseOwners(world);
        String killedMonitor = ownersBefore.get(cluster);
        killed.put(CprService.HEALTH_MONITOR, replicaWithId(run, CprService.HEALTH_MONITOR, killedMonitor));
        killed.put(CprService.NOTIFIER, world.replicas(CprService.NOTIFIER).get(0));
        killed.put(CprService.BACKUP_SERVICE, world.replicas(CprService.BACKUP_SERVICE).get(1));
        List<String> killedIds = killed.entrySet().stream().map(e -> idOf(world, e.getKey(), e.getValue())).toList();
        ServiceProcess runnerSurvivor = survivorOf(world, CprService.RESTORE_SERVICE, killed);
        String monitorSurvivor = idOf(world, CprService.HEALTH_MONITOR,
                survivorOf(world, CprService.HEALTH_MONITOR, killed));
        List<String> stepsAtKill = stepsOf(RecoveryPlans.plan(world, planId));
        Instant killedAt = Instant.now();
        for (ServiceProcess replica : killed.values()) {
            replica.kill();
        }
        result.put("killed", killedIds).put("killed_ms", run.msSinceInjection(killedAt))
                .put("steps_at_kill", stepsAtKill);
        run.say("killed " + killedIds + " " + run.msSinceInjection(killedAt) + " ms after the fault, plan " + planId
                + " at " + stepsAtKill);

        // then the killed health-monitor's clusters are the survivor's within 10 s
        Set<String> itsClusters = ownersBefore.entrySet().stream().filter(e -> e.getValue().equals(killedMonitor))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        boolean takenOver = Pause.until(() -> {
            Map<String, String> owners = leaseOwners(world);
            return itsClusters.stream().allMatch(c -> monitorSurvivor.equals(owners.get(c)));
        }, TAKEOVER_WITHIN);
        long takeoverMs = Duration.between(killedAt, Instant.now()).toMillis();
        result.put("takeover_ms", takenOver ? takeoverMs : null).put("taken_over_clusters", List.copyOf(itsClusters));
        run.say(takenOver ? monitorSurvivor + " owns " + itsClusters + " " + takeoverMs + " ms after the kill"
                : itsClusters + " NOT taken over by " + monitorSurvivor + " within " + TAKEOVER_WITHIN.toSeconds() + " s");

        // and Prometheus sees the killed replicas down, the others up, the cluster's gauges from the survivor only
        Map<String, String> expectedUp = new TreeMap<>();
        upBefore.keySet().forEach(replica -> expectedUp.put(replica, killedIds.contains(replica) ? "0" : "1"));
        Map<String, String> upAfter = new TreeMap<>();
        boolean upAsExpected = Pause.until(() -> {
            upAfter.clear();
            upAfter.putAll(upByReplica(world));
            return upAfter.equals(expectedUp);
        }, Duration.ofSeconds(30));
        List<String> sourcesAfter = awaitGaugeSources(world, cluster, monitorSurvivor);
        gaugeSources.put("after", sourcesAfter);
        result.put("prometheus_targets_up_after", upAfter);
        run.say("prometheus: up " + upAfter + "; " + cluster + "'s gauges from " + sourcesAfter);
        boolean scrapedAsExpected = allUp && upAsExpected && sourcesBefore.equals(List.of(watcher))
                && sourcesAfter.equals(List.of(monitorSurvivor));

        // and the same plan finishes, run on by the surviving restore-service
        JsonNode finished = RecoveryPlans.awaitPlan(world, cluster, faultAt,
                plan -> planId.equals(plan.path("id").asText()) && isFinal(plan.path("state").asText()),
                Duration.ofSeconds(120), "plan " + planId + " did not finish within 120 s after its runner was killed");
        long recoveredMs = run.msSinceInjection();
        String state = finished.path("state").asText();
        List<String> stepsAfter = stepsOf(finished);
        String runnerAtEnd = ReplicaRows.runnerId(world, planId);
        boolean runByTheSurvivor = runnerAtEnd != null && runnerAtEnd.endsWith(":" + runnerSurvivor.port());
        // a step done before the kill shows unchanged (same attempts) at the end, else it was run again
        List<String> runTwice = stepsAtKill.stream().filter(step -> step.contains(":SUCCEEDED:"))
                .filter(done -> !stepsAfter.contains(done)).toList();
        boolean stepsSettled = stepsAfter.stream().allMatch(step -> step.matches(".*:(SUCCEEDED|SKIPPED):[012]"));
        List<String> plans = RecoveryPlans.plansSince(world, cluster, faultAt).stream()
                .map(p -> p.path("id").asText()).toList();
        result.put("recovered_ms", recoveredMs).put("plan_state", state).put("plan_message",
                        finished.path("message").asText()).put("steps", stepsAfter).put("steps_run_twice", runTwice)
                .put("runner_at_end", runnerAtEnd).put("run_by_the_survivor", runByTheSurvivor)
                .put("plans_for_cluster", plans.size());
        run.say("plan " + planId + " " + state + " " + recoveredMs + " ms after the fault (runner now " + runnerAtEnd
                + "): " + stepsAfter);

        // and the plan's final update reached Kafka
        boolean finalUpdate = run.events().await(seen -> EventTypes.RECOVERY_UPDATED.equals(seen.event().type())
                && planId.equals(seen.data(RecoveryUpdate.class).planId())
                && seen.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(60)).isPresent();
        result.put("final_update_seen", finalUpdate);

        // and Slack shows one thread for the incident, with the plan's progress and the resolution once each
        SlackThread slack = slackThread(run, world, cluster, faultAt);
        result.put("slack_threads", slack.threads()).put("slack_replies", slack.replies())
                .put("slack_posts_with_message_id", slack.postsWithMessageId())
                .put("slack_duplicates", slack.duplicates());

        // and no consumer gave up on an event
        List<String> deadLettered = run.events().seen().stream().filter(seen -> deadLetters.contains(seen.topic()))
                .map(seen -> seen.topic() + " " + seen.event().type() + " " + seen.event().subject()).toList();
        result.put("dead_lettered", deadLettered.size()).put("dead_letters", deadLettered);

        // and the cluster is whole again, no key lost
        boolean healthy = Pause.until(() -> etcd.isHealthy(VICTIM), Duration.ofSeconds(15));
        long keysAfter = etcd.countKeys();
        result.put("member_healthy", healthy).put("keys_after", keysAfter)
                .put("incident", incident.incidentId());
        boolean ok = takenOver && scrapedAsExpected && "SUCCEEDED".equals(state) && runByTheSurvivor && stepsSettled && runTwice.isEmpty()
                && plans.equals(List.of(planId)) && finalUpdate && slack.threads() == 1
                && slack.replies().size() == 2 && slack.replies().containsAll(List.of("progress", "resolution"))
                && slack.postsWithMessageId() > 0 && slack.duplicates() == 0 && deadLettered.isEmpty() && healthy
                && keysAfter == keysBefore;
        run.say("killed " + killedIds + "; takeover " + (takenOver ? takeoverMs + " ms" : "NONE") + ", " + plans.size()
                + " plan(s) " + state + ", run twice " + runTwice + ", " + slack.threads() + " Slack thread(s) "
                + slack.replies() + ", " + slack.duplicates() + " duplicate(s), " + deadLettered.size()
                + " dead-lettered, keys " + keysBefore + " -> " + keysAfter);
        return result.ok(ok);
    }

    /** {@code up} of every target of the world's Prometheus, by its {@code replica} label. */
    private static Map<String, String> upByReplica(World world) {
        Map<String, String> up = new TreeMap<>();
        try {
            world.prometheus().query("up").forEach(series -> up.put(series.path("metric").path("replica").asText(),
                    series.path("value").get(1).asText()));
        } catch (java.io.IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return up;
    }

    /**
     * The replicas Prometheus has the cluster's {@code cpr_monitor_members_healthy} from, once that is exactly the
     * expected one (or as it is after 20 s): a replica's series end when it gives the cluster up or is killed.
     */
    private static List<String> awaitGaugeSources(World world, String cluster, String expected) {
        AtomicReference<List<String>> sources = new AtomicReference<>(List.of());
        Pause.until(() -> {
            sources.set(gaugeSources(world, cluster));
            return sources.get().equals(List.of(expected));
        }, Duration.ofSeconds(20));
        return sources.get();
    }

    private static List<String> gaugeSources(World world, String cluster) {
        try {
            List<String> replicas = new ArrayList<>();
            world.prometheus().query("cpr_monitor_members_healthy{cluster=\"" + cluster + "\"}")
                    .forEach(series -> replicas.add(series.path("metric").path("replica").asText()));
            return replicas.stream().sorted().toList();
        } catch (java.io.IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** How the incident shows in Slack since the fault, once its thread says it resolved and the outbox drained. */
    private record SlackThread(int threads, List<String> replies, int postsWithMessageId, int duplicates) {
    }

    private static SlackThread slackThread(ClusterRun run, World world, String cluster, Instant faultAt)
            throws SQLException {
        String resolved = "Resolved: " + cluster + " is healthy again";
        AtomicReference<SimMessage> top = new AtomicReference<>();
        boolean resolvedThread = Pause.until(() -> {
            top.set(world.slack().messages().stream().filter(m -> m.threadTs() == null
                    && m.postedAt().isAfter(faultAt) && isAboutTheIncident(m, cluster)).findFirst().orElse(null));
            return top.get() != null && world.slack().replies(top.get().ts()).stream()
                    .anyMatch(m -> m.text().startsWith(resolved));
        }, Duration.ofSeconds(120));
        if (!resolvedThread) {
            run.say("no resolved thread for " + cluster + " in Slack within 120 s");
        }
        if (!Pause.until(() -> pendingSlackRows(world) == 0, Duration.ofSeconds(60))) {
            run.say(pendingSlackRows(world) + " Slack post(s) still pending in the notifiers' outbox after 60 s");
        }
        List<SimMessage> sinceFault = world.slack().messages().stream()
                .filter(m -> m.postedAt().isAfter(faultAt)).toList();
        int threads = (int) sinceFault.stream().filter(m -> m.threadTs() == null && isAboutTheIncident(m, cluster))
                .count();
        List<String> replies = top.get() == null ? List.of() : world.slack().replies(top.get().ts()).stream()
                .map(m -> m.text().startsWith("Recovery ") ? "progress"
                        : m.text().startsWith(resolved) ? "resolution" : m.text()).toList();
        // every post carries its notifier message's id in Slack metadata: two posts of one message share it
        Map<String, Long> copies = sinceFault.stream().filter(m -> m.metadata() != null).collect(Collectors.groupingBy(
                m -> m.metadata().path("event_payload").path("message_id").asText(), Collectors.counting()));
        int duplicates = (int) copies.values().stream().mapToLong(n -> n - 1).sum();
        return new SlackThread(threads, replies, copies.size(), duplicates);
    }

    /** The incident's message, as posted or as updated once it resolved (the simulator keeps the current text). */
    private static boolean isAboutTheIncident(SimMessage message, String cluster) {
        return message.text().startsWith("Incident on " + cluster + ":")
                || message.text().startsWith("Resolved: incident on " + cluster + ":");
    }

    /** The restore-service replica whose runner id ({@code <host>:<http port>}) holds the plan's lease. */
    private static ServiceProcess runnerOf(ClusterRun run, String planId) {
        // a plan shows RUNNING as soon as it is decided; its runner takes the lease a moment later
        AtomicReference<String> runner = new AtomicReference<>();
        Pause.until(() -> {
            runner.set(runnerId(run.world(), planId));
            return runner.get() != null;
        }, Duration.ofSeconds(10));
        return run.world().replicas(CprService.RESTORE_SERVICE).stream()
                .filter(r -> runner.get() != null && runner.get().endsWith(":" + r.port())).findFirst()
                .orElseThrow(() -> run.fail("no restore-service replica is plan " + planId + "'s runner "
                        + runner.get()));
    }

    private static ServiceProcess replicaWithId(ClusterRun run, CprService service, String id) {
        List<ServiceProcess> replicas = run.world().replicas(service);
        for (int i = 0; i < replicas.size(); i++) {
            if (World.replicaId(service, i).equals(id)) {
                return replicas.get(i);
            }
        }
        throw run.fail("no " + service.module() + " replica with the id " + id);
    }

    private static String idOf(World world, CprService service, ServiceProcess replica) {
        return World.replicaId(service, world.replicas(service).indexOf(replica));
    }

    private static ServiceProcess survivorOf(World world, CprService service, Map<CprService, ServiceProcess> killed) {
        return world.replicas(service).stream().filter(r -> r != killed.get(service)).findFirst().orElseThrow();
    }

    // the rows read while polling: a failed read is a "not yet", polled again
    private static Map<String, String> leaseOwners(World world) {
        try {
            return ReplicaRows.leaseOwners(world);
        } catch (SQLException e) {
            return Map.of();
        }
    }

    private static String runnerId(World world, String planId) {
        try {
            return ReplicaRows.runnerId(world, planId);
        } catch (SQLException e) {
            return null;
        }
    }

    private static long pendingSlackRows(World world) {
        try {
            return ReplicaRows.pendingSlackRows(world);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Passed or failed, the next scenario meets one replica of each service, each running, as before. */
    private static void leaveOneReplicaOfEach(World world, World.Progress progress) {
        for (CprService service : CprService.values()) {
            try {
                world.resetToDefaults(service);
            } catch (Exception e) {
                progress.say(NAME + ": " + service.module() + " could not be restarted: " + e.getMessage());
            }
        }
        world.stopSecondReplicas();
        try {
            Preconditions.awaitQuiet(world, world.sandbox().etcd().spec().id(), Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            progress.say(NAME + ": the world did not settle after the replicas were stopped: " + e.getMessage());
        }
    }
}

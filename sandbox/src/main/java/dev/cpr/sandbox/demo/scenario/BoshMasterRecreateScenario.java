package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.sandbox.demo.launcher.PksCluster;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seed 001 on the PKS cluster: one master's etcd member (a follower, see {@link #follower}) loses its WAL
 * ({@code member/wal} deleted from the persistent disk while it runs), then its VM is deleted. cpr must notice (a member or BOSH incident on {@code pks-1}) and run
 * {@code bosh-cloud-check} by itself: scan, {@code recreate_vm} for the missing VM, and, since etcd on the
 * recreated master still fails (the director restarts it on the same persistent disk, as seed 001 found), replace
 * the member through the director. Recovered: every member healthy and the director showing every master running;
 * no key lost.
 *
 * <p>Right after the fault the scenario also asks backup-service for a bbr deployment backup over REST: bbr cannot
 * back up with one master down (seed 001's failed bbr), so backup-service must fall back to an etcd snapshot from a
 * healthy member and say so ({@code backup_while_down}). Times are measured from the injection.
 */
public final class BoshMasterRecreateScenario extends PksRecoveryScenario {

    public static final String NAME = "bosh-master-recreate";
    static final int KEYS = 10_000;
    /** The master to break, if it does not lead (see {@link #follower}). */
    private static final List<String> VICTIMS_IN_ORDER = List.of("etcd-2", "etcd-3", "etcd-1");
    private static final Duration BACKUP_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 001 on PKS: write 10,000 keys, delete a master's VM and its etcd WAL, back up with bbr while it "
                + "is down (falls back to a snapshot), wait for " + PlanNames.BOSH_CLOUD_CHECK + " to recreate it and "
                + "replace the member";
    }

    @Override
    protected List<String> measured() {
        return List.of("detected_ms", "recovered_ms", "keys_before", "keys_after");
    }

    @Override
    protected ScenarioResult play(ClusterRun run, PksCluster pks, DirectorView director)
            throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        if (!Pause.until(() -> director.allMastersRunning(PksCluster.MASTERS), Duration.ofSeconds(30))) {
            throw run.fail("the director does not show every master running before the fault: "
                    + director.describeMasters());
        }
        String victim = follower(etcd);
        String instance = pks.instanceOf(victim);
        result.put("member", victim).put("instance", instance);
        long keysBefore = writeKeys(run, "", KEYS);
        result.put("keys_before", keysBefore);

        run.say(keysBefore + " keys on " + run.clusterId() + "; deleting the member/wal of " + victim
                + ", then its VM " + instance);
        run.inject();
        etcd.deleteWal(victim); // on the running master, as in the seed
        pks.director().deleteVm(instance);

        String viewer = run.world().tokens().viewer();
        String backupId = ServiceCalls.startBackup(run.world(), run.clusterId(), "bbr-deployment");
        CompletableFuture<JsonNode> backupSettled = CompletableFuture.supplyAsync(
                () -> settle(run.world(), backupId, viewer));

        boolean recovered = awaitRecovery(run, director);
        long keysAfter = etcd.countKeys();
        result.put("keys_after", keysAfter);
        run.say("masters: " + director.describeMasters() + "; keys " + keysBefore + " -> " + keysAfter);

        // reported whatever the recovery did: it is backup-service's part of the seed
        JsonNode backup = settled(run, backupSettled);
        boolean fellBack = fellBack(backup);
        result.put("backup_while_down", backupSummary(backup)).put("backup_fell_back", fellBack);
        run.say("bbr backup while the master was down: " + backupSummary(backup));
        return result.ok(recovered && keysAfter == keysBefore && fellBack);
    }

    private static JsonNode settled(ClusterRun run, CompletableFuture<JsonNode> backup) throws InterruptedException {
        try {
            return backup.get(BACKUP_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw run.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Detection, the plan, and the cluster and director whole again; false (with {@code error} set) if not. */
    private static boolean awaitRecovery(ClusterRun run, DirectorView director) throws InterruptedException {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        Optional<EventWatcher.Seen> opened = run.events().await(
                EventWatcher.incidentOpened(run.clusterId(), i -> true), Duration.ofSeconds(30));
        if (opened.isEmpty()) {
            result.put("error", "no incident.opened for " + run.clusterId() + " within 30 s");
            return false;
        }
        IncidentOpened incident = opened.get().data(IncidentOpened.class);
        result.put("detected_ms", run.msSinceInjection(incident.detectedAt()))
                .put("incident", incident.failure().name());
        run.say("incident " + incident.incidentId() + " opened: " + incident.summary());

        Optional<EventWatcher.Seen> finished = run.events().await(EventWatcher.planUpdated(run.clusterId(),
                PlanNames.BOSH_CLOUD_CHECK, u -> u.state().isFinal()), Duration.ofSeconds(120));
        if (finished.isEmpty()) {
            result.put("error", "no " + PlanNames.BOSH_CLOUD_CHECK + " plan finished within 120 s");
            return false;
        }
        RecoveryUpdate plan = finished.get().data(RecoveryUpdate.class);
        // seed 001's point: the recreate alone does not bring etcd back; the member must be replaced
        boolean replaced = ran(plan, "member-remove") && ran(plan, "member-add");
        result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name())
                .put("steps", steps(plan)).put("member_replaced", replaced);
        if (plan.state() != PlanState.SUCCEEDED) {
            result.put("error", "plan " + plan.planId() + " ended " + plan.state() + ": " + plan.message());
            return false;
        }
        if (!replaced) {
            result.put("error", "plan " + plan.planId() + " did not replace the member after the recreate: " + steps(plan));
            return false;
        }
        boolean recovered = Pause.until(() -> etcd.members().stream().allMatch(m -> etcd.isHealthy(m.name()))
                && director.allMastersRunning(PksCluster.MASTERS), Duration.ofSeconds(30));
        result.put("recovered_ms", run.msSinceInjection())
                .put("members_healthy", recovered).put("masters", director.describeMasters());
        run.say("plan " + plan.planId() + " SUCCEEDED (" + steps(plan) + ")");
        if (!recovered) {
            result.put("error", "after the plan, not every member is healthy with every master running: "
                    + director.describeMasters());
        }
        return recovered;
    }

    /**
     * A member that does not lead. It matters for seed 001: an etcd 3.4 member restarted without its WAL stays broken
     * only while the leader that knew its progress still leads (that leader's first heartbeat commits past the empty
     * log: "tocommit(N) is out of range [lastIndex(0)]", a panic at every start). Had the victim led, a new leader
     * with no record of it would just send it a snapshot, the recreate alone would heal it, and there would be
     * nothing left to replace.
     */
    static String follower(EtcdCluster etcd) {
        for (String name : VICTIMS_IN_ORDER) {
            try {
                StatusResponse status = etcd.client().getMaintenanceClient().statusMember(etcd.member(name).clientUrl())
                        .get(5, TimeUnit.SECONDS);
                if (status.getLeader() != status.getHeader().getMemberId()) {
                    return name;
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("no status from " + name + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("every member says it leads");
    }

    private static JsonNode settle(World world, String backupId, String viewer) {
        try {
            return ServiceCalls.awaitSettledBackup(ServiceCalls.backup(world, backupId), viewer, BACKUP_TIMEOUT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The bbr row failed and says it fell back to an etcd snapshot (seed 001: bbr needs every master). */
    static boolean fellBack(JsonNode row) {
        String text = BackupRows.reason(row).toLowerCase();
        return "failed".equalsIgnoreCase(row.path("status").asText())
                && (text.contains("fell back") || text.contains("fallback") || text.contains("fall back"));
    }

    private static Map<String, Object> backupSummary(JsonNode row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backup_id", row.path("backupId").asText(null));
        out.put("kind", row.path("kind").asText(null));
        out.put("status", row.path("status").asText(null));
        out.put("reason", BackupRows.reason(row));
        return out;
    }

    private static boolean ran(RecoveryUpdate plan, String step) {
        return plan.steps().stream().anyMatch(s -> s.name().equals(step) && s.state() == StepState.SUCCEEDED);
    }
}

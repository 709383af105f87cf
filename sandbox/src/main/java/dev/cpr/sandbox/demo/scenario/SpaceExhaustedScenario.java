package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.Sandbox;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.maintenance.AlarmMember;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd's maintenance guide, space quota: the sandbox cluster (quota {@link Sandbox#QUOTA_BACKEND_BYTES}) is filled
 * with history, 1 MiB values written over a few keys, until etcd refuses a write and raises {@code NOSPACE}. Every
 * member stays up and answering. cpr must report SPACE_EXHAUSTED (never QUORUM_LOST), recover with
 * {@code etcd-space-recover} (compact, defragment one member at a time, disarm), lose no key and propose no restore.
 * Judged from outside: Kafka's events, the real cluster's keys, alarms, database sizes and a write.
 */
public final class SpaceExhaustedScenario extends ClusterRecoveryScenario {

    public static final String NAME = "space-exhausted";
    static final int KEYS = 10_000;
    private static final int VALUE_BYTES = 1024 * 1024;
    private static final int BLOBS = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "etcd space quota: write 10,000 keys, overwrite 1 MiB values until NOSPACE, wait for cpr to compact, "
                + "defragment and disarm with no key lost and no restore proposed";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        String clusterId = run.clusterId();
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        result.put("detected_ms", null).put("recovered_ms", null).put("keys_before", null).put("keys_after", null)
                .put("db_bytes_before", null).put("db_bytes_after", null)
                .put("quota_bytes", Sandbox.QUOTA_BACKEND_BYTES);

        run.say("overwriting " + BLOBS + " keys with 1 MiB values until etcd raises NOSPACE (quota "
                + Sandbox.QUOTA_BACKEND_BYTES / (1024 * 1024) + " MiB)");
        int writes = fillUntilNoSpace(etcd);
        run.inject();
        long keysBefore = etcd.countKeys();
        long dbBefore = largestDb(etcd);
        result.put("keys_before", keysBefore).put("db_bytes_before", dbBefore).put("writes_until_nospace", writes)
                .put("alarms", alarms(etcd));
        run.say("NOSPACE after " + writes + " writes; " + keysBefore + " keys, largest db "
                + dbBefore + " bytes; every member still up");

        IncidentOpened incident = run.awaitIncident(EventWatcher.incidentOpened(clusterId,
                i -> i.failure() == FailureKind.SPACE_EXHAUSTED), "no SPACE_EXHAUSTED incident within 30 s");

        RecoveryUpdate plan = run.awaitIncidentPlanEnd(incident, Duration.ofSeconds(90));
        result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name());
        run.requireSucceeded(plan);
        long recoveredMs = run.msSinceInjection();
        List<String> alarmsAfter = alarms(etcd);
        boolean writes_ok = writeSucceeds(etcd);
        long keysAfter = etcd.countKeys();
        long dbAfter = largestDb(etcd);
        boolean quorumLost = run.events().seen().stream().anyMatch(EventWatcher.incidentOpened(clusterId,
                i -> i.failure() == FailureKind.QUORUM_LOST));
        boolean restoreProposed = run.events().seen().stream().anyMatch(EventWatcher.planUpdated(clusterId,
                PlanNames.ETCD_QUORUM_RESTORE, u -> true));
        result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("db_bytes_after", dbAfter)
                .put("alarms_after", alarmsAfter).put("write_after", writes_ok)
                .put("quorum_lost_reported", quorumLost).put("restore_proposed", restoreProposed);
        run.events().await(EventWatcher.incidentResolved(incident.incidentId()), Duration.ofSeconds(15))
                .ifPresent(s -> result.put("resolved_ms", run.msSinceInjection(s.receivedAt())));
        run.say("plan " + plan.planId() + " " + plan.state() + "; keys " + keysBefore + " -> "
                + keysAfter + ", largest db " + dbBefore + " -> " + dbAfter + " bytes, alarms " + alarmsAfter);
        return result.ok(keysAfter == keysBefore && alarmsAfter.isEmpty() && writes_ok && dbAfter < dbBefore
                && !quorumLost && !restoreProposed);
    }

    @Override
    protected void afterwards(EtcdCluster etcd, World.Progress progress) {
        leaveRoom(etcd, progress);
    }

    /** Overwrites a few keys with 1 MiB values until etcd refuses with "database space exceeded"; returns the writes. */
    private static int fillUntilNoSpace(EtcdCluster etcd) {
        byte[] value = new byte[VALUE_BYTES];
        Random random = new Random(11);
        int limit = (int) (Sandbox.QUOTA_BACKEND_BYTES / VALUE_BYTES) * 2 + 10;
        for (int i = 0; i < limit; i++) {
            random.nextBytes(value);
            try {
                etcd.client().getKVClient().put(bytes("/demo/" + NAME + "/blob-" + (i % BLOBS)), ByteSequence.from(value))
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (String.valueOf(e.getCause()).contains("space exceeded")) {
                    return i;
                }
                throw new IllegalStateException("write " + i + " failed: " + e.getCause(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while filling", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("write " + i + " did not answer in 30 s", e);
            }
        }
        throw new IllegalStateException("no NOSPACE after " + limit + " writes of 1 MiB: is --quota-backend-bytes set?");
    }

    /** The alarms the cluster reports, as {@code TYPE on <member id>}. */
    private static List<String> alarms(EtcdCluster etcd) {
        try {
            return etcd.client().getMaintenanceClient().listAlarms().get(10, TimeUnit.SECONDS).getAlarms().stream()
                    .map(a -> a.getAlarmType() + " on " + Long.toHexString(a.getMemberId())).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list alarms: " + e, e);
        }
    }

    private static boolean writeSucceeds(EtcdCluster etcd) {
        ByteSequence key = bytes("/demo/" + NAME + "/write-after");
        try {
            etcd.client().getKVClient().put(key, bytes("ok")).get(10, TimeUnit.SECONDS);
            etcd.client().getKVClient().delete(key).get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** The largest database file of the members, from each member's own status. */
    static long largestDb(EtcdCluster etcd) {
        return etcd.members().stream().mapToLong(m -> etcd.dbSize(m.name())).max().orElse(-1);
    }

    /**
     * The next scenario needs a cluster that takes writes: whatever cpr did, the 1 MiB values go, and if NOSPACE is
     * still raised the space is recovered by hand here (compact, defragment, disarm), as the runbook would.
     */
    private static void leaveRoom(EtcdCluster etcd, World.Progress progress) {
        try {
            var kv = etcd.client().getKVClient();
            for (int i = 0; i < BLOBS; i++) {
                kv.delete(bytes("/demo/" + NAME + "/blob-" + i)).get(10, TimeUnit.SECONDS);
            }
            var alarms = etcd.client().getMaintenanceClient().listAlarms().get(10, TimeUnit.SECONDS).getAlarms();
            if (alarms.isEmpty()) {
                return;
            }
            progress.say(NAME + ": NOSPACE still raised after the scenario: recovering the space by hand");
            long revision = kv.get(bytes("/")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
            kv.compact(revision, io.etcd.jetcd.options.CompactOption.builder().withCompactPhysical(true).build())
                    .get(60, TimeUnit.SECONDS);
            for (MemberSpec member : etcd.members()) {
                etcd.defragment(member.name());
            }
            for (AlarmMember alarm : alarms) {
                etcd.client().getMaintenanceClient().alarmDisarm(alarm).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            progress.say(NAME + ": could not leave room in the cluster: " + e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}

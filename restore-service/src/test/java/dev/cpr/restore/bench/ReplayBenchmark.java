package dev.cpr.restore.bench;

import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.adapters.etcd.ChangeReplayer;
import dev.cpr.restore.adapters.etcd.QuorumRestoreRun;
import dev.cpr.restore.adapters.etcd.RecordedChangeLog;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.support.BenchMachine;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Issue #14's replay, side by side in one run on one 3-member sandbox etcd: a full snapshot of {@code --keys} keys,
 * then {@code --changes} real changes after it (overwrites of those keys, {@code --per-revision} to a transaction),
 * recorded from etcd's watch into segments as backup-service's recorder cuts them. Each round restores:
 * <ol>
 *   <li>the snapshot alone: restore-service's {@code etcd-quorum-restore} steps with the real adapters (the path
 *       {@code QuorumRestoreBenchmark} times), approval to SUCCEEDED;</li>
 *   <li>the snapshot then the changes: {@code etcd-point-in-time-restore} to the last recorded revision (the same
 *       steps plus {@code fetch-change-log}, {@code replay-changes} with the production {@link ChangeReplayer}, and
 *       {@code verify-point}, which reads every replayed key back).</li>
 * </ol>
 * Prints both times, the replay step's events/s and the revision reached (it must be the target: etcd 3.4's restore
 * keeps the snapshot's revision), per round and as medians.
 *
 * <p>Arguments: {@code --keys 10000 --changes 100000 --per-revision 10 --value-bytes 200 --segment-changes 1000
 * --rounds 3 --dir target/bench}, and {@code --snapshot-value-bytes N} to write the snapshot's keys with values of N
 * bytes (default the sandbox's {@code putKeys}, about 100 bytes): a snapshot of a given size, such as
 * etcd-backup-restore's published 344 MB. Keep {@code per-revision x value-bytes} under about 4,000: etcd sends a watch that
 * starts behind up to 1,000 revisions in one response, and one over gRPC's 4 MiB default is never delivered (no error
 * either), so the recording would wait in vain (see NOTES.md).
 */
public final class ReplayBenchmark {

    private static final String CLUSTER = "replay";
    private static final String PREFIX = "/registry/bench/";

    record Options(int keys, int changes, int perRevision, int valueBytes, int segmentChanges, int rounds, Path dir,
            int snapshotValueBytes) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                given.put(args[i], args[i + 1]);
            }
            return new Options(Integer.parseInt(given.getOrDefault("--keys", "10000")),
                    Integer.parseInt(given.getOrDefault("--changes", "100000")),
                    Integer.parseInt(given.getOrDefault("--per-revision", "10")),
                    Integer.parseInt(given.getOrDefault("--value-bytes", "200")),
                    Integer.parseInt(given.getOrDefault("--segment-changes", "1000")),
                    Integer.parseInt(given.getOrDefault("--rounds", "3")),
                    Path.of(given.getOrDefault("--dir", "target/bench")).toAbsolutePath(),
                    Integer.parseInt(given.getOrDefault("--snapshot-value-bytes", "0")));
        }
    }

    /** One round: the snapshot alone, then the snapshot and the change log. */
    record Round(long snapshotOnlyMs, long withChangesMs, long replayMs, long revisionReached, String steps) {

        double eventsPerSecond(int changes) {
            return changes * 1000.0 / replayMs;
        }
    }

    /** The snapshot and the change log after it, as the catalogs would hold them. */
    record Prepared(Path snapshot, SnapshotRef ref, long target, List<byte[]> segments) {

        long segmentBytes() {
            return segments.stream().mapToLong(s -> s.length).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        LocalEtcdMember.deleteRecursively(options.dir());
        Files.createDirectories(options.dir());
        String loadAtStart = BenchMachine.loadAverage();
        try (EtcdCluster etcd = EtcdCluster.start(options.dir().resolve("etcd"), CLUSTER, 3)) {
            System.out.printf(Locale.ROOT, "%s; etcd %s, 3 members; load average at start %s%n",
                    BenchMachine.describe(), etcd.version(), loadAtStart);
            Prepared prepared = prepare(etcd, options);
            List<Round> rounds = new ArrayList<>();
            for (int i = 1; i <= options.rounds(); i++) {
                Round round = round(etcd, prepared, options.dir());
                rounds.add(round);
                printRound(i, round, prepared, options);
            }
            printMedians(rounds, prepared, options);
        } finally {
            System.out.printf("load average at end %s%n", BenchMachine.loadAverage());
            LocalEtcdMember.deleteRecursively(options.dir());
        }
    }

    private static Prepared prepare(EtcdCluster etcd, Options options) throws Exception {
        long t = System.nanoTime();
        if (options.snapshotValueBytes() > 0) {
            putSized(etcd, options.keys(), options.snapshotValueBytes());
        } else {
            etcd.putKeys(PREFIX, options.keys());
        }
        Path snapshot = options.dir().resolve("snapshot.db");
        try (OutputStream out = Files.newOutputStream(snapshot)) {
            etcd.client().getMaintenanceClient().snapshot(out).get(120, TimeUnit.SECONDS);
        }
        long snapshotRevision = etcd.revision();
        SnapshotRef ref = new SnapshotRef(UUID.randomUUID().toString(), etcd.spec().id(), snapshotRevision,
                etcd.countKeys(), Instant.now(), Sha256.hex(snapshot), "none", Files.size(snapshot));
        System.out.printf(Locale.ROOT, "snapshot: %d keys, %.1f MB, revision %d (%.1f s)%n", ref.keyCount(),
                Files.size(snapshot) / 1e6, snapshotRevision, secs(t));
        t = System.nanoTime();
        writeChanges(etcd, options);
        long target = etcd.revision();
        List<byte[]> segments = RecordedChangeLog.record(etcd, snapshotRevision, target, options.segmentChanges());
        Prepared prepared = new Prepared(snapshot, ref, target, segments);
        System.out.printf(Locale.ROOT, "change log: %d changes in %d revisions (%d..%d), %d segments, %.1f MB (%.1f s "
                + "to write and record)%n", options.changes(), target - snapshotRevision, snapshotRevision + 1, target,
                segments.size(), prepared.segmentBytes() / 1e6, secs(t));
        return prepared;
    }

    /** The snapshot's keys, {@code PREFIX} and six digits as {@code putKeys} names them, with values of a given size. */
    private static void putSized(EtcdCluster etcd, int keys, int valueBytes) throws Exception {
        ByteSequence value = filled(valueBytes, 's');
        putInTransactions(etcd, keys, Math.max(1, Math.min(100, 1_000_000 / valueBytes)), i -> Op.put(key(i), value,
                PutOption.DEFAULT));
    }

    /** Overwrites of the snapshot's keys, round robin, {@code perRevision} puts to a transaction. */
    private static void writeChanges(EtcdCluster etcd, Options options) throws Exception {
        ByteSequence value = filled(options.valueBytes(), 'v');
        putInTransactions(etcd, options.changes(), options.perRevision(), i -> Op.put(key(i % options.keys()), value,
                PutOption.DEFAULT));
    }

    /** Operations 0 to {@code count - 1}, {@code perTxn} to a transaction, 8 transactions in flight. */
    private static void putInTransactions(EtcdCluster etcd, int count, int perTxn, IntFunction<Op> op)
            throws Exception {
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (int done = 0; done < count; done += perTxn) {
            Op[] ops = new Op[Math.min(perTxn, count - done)];
            for (int i = 0; i < ops.length; i++) {
                ops[i] = op.apply(done + i);
            }
            inFlight.add(etcd.client().getKVClient().txn().Then(ops).commit());
            if (inFlight.size() >= 8) {
                inFlight.remove(0).get(30, TimeUnit.SECONDS);
            }
        }
        for (CompletableFuture<?> f : inFlight) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    private static ByteSequence key(int index) {
        return ByteSequence.from(PREFIX + String.format("%06d", index), StandardCharsets.UTF_8);
    }

    private static ByteSequence filled(int bytes, char with) {
        byte[] value = new byte[bytes];
        Arrays.fill(value, (byte) with);
        return ByteSequence.from(value);
    }

    private static Round round(EtcdCluster etcd, Prepared prepared, Path dir) throws Exception {
        RecoveryPlan snapshotOnly = QuorumRestoreRun.run(etcd.spec(), prepared.ref(), prepared.snapshot(), 0, null,
                dir.resolve("plan-snapshots"));
        requireSucceededAt(snapshotOnly, etcd, prepared.ref().revision());
        ChangeReplayer replayer = new ChangeReplayer(null, Duration.ofSeconds(10));
        RecoveryPlan withChanges;
        try {
            withChanges = QuorumRestoreRun.run(etcd.spec(), prepared.ref(), prepared.snapshot(), 0,
                    new EtcdQuorumRestorePlan.PointInTime(prepared.target(), new RecordedChangeLog(prepared.segments()),
                            replayer), dir.resolve("plan-snapshots"));
        } finally {
            replayer.close();
        }
        long reached = etcd.revision();
        requireSucceededAt(withChanges, etcd, prepared.target());
        return new Round(approvalToEnd(snapshotOnly), approvalToEnd(withChanges),
                stepMillis(withChanges, "replay-changes"), reached, stepTimes(withChanges));
    }

    private static void requireSucceededAt(RecoveryPlan plan, EtcdCluster etcd, long revision) {
        if (plan.state() != PlanState.SUCCEEDED || etcd.revision() != revision) {
            throw new IllegalStateException(plan.plan() + " ended " + plan.state() + " at revision " + etcd.revision()
                    + ", not SUCCEEDED at " + revision + ": " + plan.message());
        }
    }

    private static long approvalToEnd(RecoveryPlan plan) {
        return Duration.between(plan.steps().get(0).startedAt(), plan.updatedAt()).toMillis();
    }

    private static long stepMillis(RecoveryPlan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> Duration.between(s.startedAt(), s.finishedAt()).toMillis()).orElseThrow();
    }

    private static String stepTimes(RecoveryPlan plan) {
        StringBuilder text = new StringBuilder();
        for (PlanStep step : plan.steps()) {
            long ms = step.startedAt() == null ? 0 : Duration.between(step.startedAt(), step.finishedAt()).toMillis();
            text.append(String.format(Locale.ROOT, "%s %d ms, ", step.name(), ms));
        }
        return text.substring(0, text.length() - 2);
    }

    private static void printRound(int i, Round r, Prepared prepared, Options options) {
        System.out.printf(Locale.ROOT, "round %d: snapshot alone %,d ms | snapshot + %,d changes %,d ms (replay %,d ms, "
                + "%,.0f events/s); revision reached %d (target %d)%n", i, r.snapshotOnlyMs(), options.changes(),
                r.withChangesMs(), r.replayMs(), r.eventsPerSecond(options.changes()), r.revisionReached(),
                prepared.target());
        System.out.println("  steps: " + r.steps());
    }

    private static void printMedians(List<Round> rounds, Prepared prepared, Options options) {
        long alone = median(rounds.stream().mapToLong(Round::snapshotOnlyMs).toArray());
        long with = median(rounds.stream().mapToLong(Round::withChangesMs).toArray());
        long replay = median(rounds.stream().mapToLong(Round::replayMs).toArray());
        boolean exact = rounds.stream().allMatch(r -> r.revisionReached() == prepared.target());
        System.out.printf(Locale.ROOT, "median of %d: snapshot alone %,d ms; snapshot + changes %,d ms (+%,d ms); "
                + "replay %,d ms = %,.0f events/s; target reached exactly in every round: %b%n", rounds.size(), alone,
                with, with - alone, replay, options.changes() * 1000.0 / replay, exact);
        System.out.printf(Locale.ROOT, "{\"snapshot_bytes\":%d,\"snapshot_keys\":%d,\"changes\":%d,\"revisions\":%d,"
                + "\"segment_bytes\":%d,\"snapshot_only_ms\":%d,\"with_changes_ms\":%d,\"replay_ms\":%d,"
                + "\"events_per_s\":%.0f,\"target_reached\":%b}%n", prepared.ref().sizeBytes(), prepared.ref().keyCount(),
                options.changes(), prepared.target() - prepared.ref().revision(), prepared.segmentBytes(), alone, with,
                replay, options.changes() * 1000.0 / replay, exact);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

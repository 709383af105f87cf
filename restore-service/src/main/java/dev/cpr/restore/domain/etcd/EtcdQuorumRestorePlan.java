package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * {@code etcd-quorum-restore} (seeds 000 and 002): quorum is lost; rebuild the cluster from ONE verified
 * snapshot of backup-service's catalog, the way etcd's recovery guide says:
 * <pre>
 *  fetch-snapshot     download the snapshot and check its sha256 against the catalog (before anything stops)
 *  stop-members       stop every member, one by one
 *  restore-members    (destructive) per member: snapshot restore into a new data dir with a NEW cluster token;
 *                     the old data dir is moved aside to {@code <data-dir>.cpr-<planId>}, never deleted
 *  start-members      start every member with --initial-cluster-state=new and the new token
 *  verify-restore     a leader, every member healthy, key count = the snapshot's, revision >= the snapshot's
 *  restore-v2-keys    when the snapshot has a v2 keyspace export (seed 002: a v3 snapshot does not carry v2 keys):
 *                     its sha256 checked, every key PUT over the v2 API, the v2 key count checked; else SKIPPED
 *  post-restore-hooks configured commands per node (seed 002: restart apiserver, controller-manager,
 *                     scheduler, kubelets); none configured: SKIPPED with that note
 * </pre>
 * Every step is idempotent: a resumed plan finds finished work (markers beside each data dir) and goes on.
 * The v2 keyspace (seed 002) is not in a v3 snapshot: it is restored from backup-service's v2 export when the
 * snapshot has one, and the step says so when it has none.
 */
public final class EtcdQuorumRestorePlan {

    public static final String FETCH_SNAPSHOT = "fetch-snapshot";
    public static final String STOP_MEMBERS = "stop-members";
    public static final String RESTORE_MEMBERS = "restore-members";
    public static final String START_MEMBERS = "start-members";
    public static final String VERIFY_RESTORE = "verify-restore";
    public static final String RESTORE_V2_KEYS = "restore-v2-keys";
    public static final String POST_RESTORE_HOOKS = "post-restore-hooks";

    static final String SEED_002_NOTE = "no post-restore hooks configured (cpr.restore.post-restore-hooks.\"%s\"): "
            + "seed 002 says the apiserver, controller-manager, scheduler and kubelets must be restarted after a "
            + "restore, or scheduling breaks; do it by hand";
    private static final int MAX_OUTPUT = 4000;
    private static final Duration TOOL_PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** A post-restore command run on one member's node ({@code member = "*"}: on every member's node). */
    public record Hook(String member, String command) {
    }

    /**
     * Knobs of the plan.
     *
     * @param snapshotDir    downloads go to {@code <snapshotDir>/<cluster>/<planId>-<snapshotId>.db}
     * @param fetchTimeout   download and hash check
     * @param restoreTimeout all members' {@code snapshot restore}
     * @param etcdctl        etcdctl binary (name on PATH or path); tried next to the member's etcd first
     * @param etcdutl        etcdutl binary (3.5+); which of the two restores is the members' etcd release's
     *                       choice ({@link EtcdTools})
     * @param bumpRevision   on 3.5.8+, {@code --bump-revision} of every restored member (with
     *                       {@code --mark-compacted}), so Kubernetes watch caches are invalidated; 0: no bump
     */
    public record Settings(Path snapshotDir, Duration pollInterval, Duration verifyTimeout, Duration fetchTimeout,
            Duration restoreTimeout, Duration hookTimeout, String etcdctl, String etcdutl, List<Hook> hooks,
            long bumpRevision) {

        public Settings {
            hooks = hooks == null ? List.of() : List.copyOf(hooks);
        }

        /** With the recovery guide's bump ({@link EtcdTools#DEFAULT_BUMP_REVISION}). */
        public Settings(Path snapshotDir, Duration pollInterval, Duration verifyTimeout, Duration fetchTimeout,
                Duration restoreTimeout, Duration hookTimeout, String etcdctl, String etcdutl, List<Hook> hooks) {
            this(snapshotDir, pollInterval, verifyTimeout, fetchTimeout, restoreTimeout, hookTimeout, etcdctl, etcdutl,
                    hooks, EtcdTools.DEFAULT_BUMP_REVISION);
        }
    }

    private final ClusterSpec cluster;
    private final String planId;
    private final SnapshotRef snapshot;
    private final SnapshotCatalog catalog;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final Settings settings;
    private final Sleeper sleeper;

    public EtcdQuorumRestorePlan(ClusterSpec cluster, String planId, SnapshotRef snapshot, SnapshotCatalog catalog,
            EtcdAdmin etcd, NodeControl nodes, Settings settings, Sleeper sleeper) {
        this.cluster = cluster;
        this.planId = planId;
        this.snapshot = snapshot;
        this.catalog = catalog;
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = settings;
        this.sleeper = sleeper;
    }

    /** The steps as stored when the plan is proposed (nothing done yet). */
    public static List<PlanStep> outline(ClusterSpec cluster, SnapshotRef snapshot) {
        String members = cluster.members().stream().map(MemberSpec::name).collect(Collectors.joining(", "));
        String snap = snapshot == null ? "the snapshot" : "snapshot " + snapshot.id();
        String[][] rows = {
            {FETCH_SNAPSHOT, "download " + snap + " from backup-service and check its sha256 against the catalog",
                "false"},
            {STOP_MEMBERS, "stop every member, one by one: " + members, "false"},
            {RESTORE_MEMBERS, "restore " + members + " from " + snap + " with a new cluster token; old data dirs "
                + "are moved aside to <data-dir>.cpr-<plan id>", "true"},
            {START_MEMBERS, "start every member as a new cluster with the new token", "false"},
            {VERIFY_RESTORE, "a leader, every member healthy, key count and revision as in the snapshot", "false"},
            {RESTORE_V2_KEYS, "put the snapshot's v2 keyspace export back over the v2 API, if it has one", "false"},
            {POST_RESTORE_HOOKS, "run the configured post-restore commands on the nodes", "false"},
        };
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            steps.add(PlanStep.pending(i, rows[i][0], rows[i][1], Boolean.parseBoolean(rows[i][2])));
        }
        return steps;
    }

    /** {@code <cluster id>-<first 8 characters of the plan id>}: new for every restore. */
    public static String newToken(ClusterSpec cluster, String planId) {
        return cluster.id() + "-" + planId.substring(0, Math.min(8, planId.length()));
    }

    public List<StepSpec> steps() {
        List<PlanStep> outline = outline(cluster, snapshot);
        RetryPolicy once = new RetryPolicy(1, RetryPolicy.DEFAULT.backoff());
        return List.of(
                spec(outline.get(0), settings.fetchTimeout(), RetryPolicy.DEFAULT,
                        this::fetched, this::fetch, this::verifyFetched),
                spec(outline.get(1), Duration.ofSeconds(20L * cluster.members().size()), RetryPolicy.DEFAULT,
                        this::noneRunning, this::stopMembers, this::verifyNoneRunning),
                spec(outline.get(2), settings.restoreTimeout(), RetryPolicy.DEFAULT,
                        this::allRestored, this::restoreMembers, this::verifyRestored),
                spec(outline.get(3), Duration.ofSeconds(30), RetryPolicy.DEFAULT,
                        this::allRunning, this::startMembers, this::verifyAllRunning),
                spec(outline.get(4), settings.verifyTimeout().plusSeconds(5), RetryPolicy.DEFAULT,
                        StepSpec.never(), this::verifyRestore, StepSpec.nothing()),
                spec(outline.get(5), settings.fetchTimeout(), RetryPolicy.DEFAULT,
                        this::v2NotNeeded, this::restoreV2, this::verifyV2),
                spec(outline.get(6), settings.hookTimeout().multipliedBy(Math.max(1, hookRunCount())).plusSeconds(5),
                        once, this::noHooks, this::runHooks, StepSpec.nothing()));
    }

    private static StepSpec spec(PlanStep row, Duration timeout, RetryPolicy retry, StepSpec.Check check,
            StepSpec.Action action, StepSpec.Verify verify) {
        return new StepSpec(row.name(), row.description(), row.destructive(), timeout, retry, check, action, verify);
    }

    private SnapshotRef snapshot() {
        if (snapshot == null) {
            throw new StepSpec.FatalStepException("the plan records no snapshot to restore from");
        }
        return snapshot;
    }

    // fetch-snapshot

    /** The checked, uncompressed snapshot file: only ever created by a rename after the hash check. */
    public Path snapshotFile() {
        return settings.snapshotDir().resolve(cluster.id()).resolve(planId + "-" + snapshot().id() + ".db");
    }

    private Optional<String> fetched() throws IOException {
        Path file = snapshotFile();
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return Optional.of(file + " (" + Files.size(file) + " bytes) was downloaded and checked");
        }
        return Optional.empty();
    }

    private String fetch() throws IOException {
        SnapshotRef ref = snapshot();
        Path file = snapshotFile();
        Files.createDirectories(file.getParent());
        Path download = file.resolveSibling(file.getFileName() + (ref.gzipped() ? ".gz.part" : ".part"));
        Files.deleteIfExists(download);
        long started = System.nanoTime();
        long bytes = catalog.download(ref.id(), download);
        String actual = sha256(download);
        if (ref.sha256() == null || !ref.sha256().equalsIgnoreCase(actual)) {
            Files.deleteIfExists(download);
            throw new StepSpec.FatalStepException("sha256 of the downloaded snapshot " + ref.id() + " is " + actual
                    + " but the catalog says " + ref.sha256() + ": refused, nothing was stopped or changed");
        }
        if (ref.gzipped()) {
            Path plain = file.resolveSibling(file.getFileName() + ".part");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(download), 1 << 16);
                    OutputStream out = Files.newOutputStream(plain)) {
                in.transferTo(out);
            }
            Files.delete(download);
            download = plain;
        }
        Files.move(download, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return String.format("downloaded %s: %d bytes in %d ms, sha256 %s matches the catalog -> %s",
                ref.id(), bytes, Duration.ofNanos(System.nanoTime() - started).toMillis(), actual, file);
    }

    private void verifyFetched() throws IOException {
        if (fetched().isEmpty()) {
            throw new IllegalStateException(snapshotFile() + " is missing or empty after the download");
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    // stop-members

    private List<MemberSpec> running() {
        return cluster.members().stream().filter(nodes::isRunning).toList();
    }

    private Optional<String> noneRunning() {
        return running().isEmpty() ? Optional.of("no member of " + cluster.id() + " is running") : Optional.empty();
    }

    private String stopMembers() throws IOException {
        List<String> stopped = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            if (nodes.isRunning(member)) {
                nodes.stop(member);
                stopped.add(member.name());
            }
        }
        return "stopped " + (stopped.isEmpty() ? "nothing (none was running)" : String.join(", ", stopped));
    }

    private void verifyNoneRunning() {
        List<MemberSpec> still = running();
        if (!still.isEmpty()) {
            throw new IllegalStateException("still running: " + still.stream().map(MemberSpec::name).toList());
        }
    }

    // restore-members

    /** Where the member's old data dir goes: kept for an operator to look at. */
    public String aside(MemberSpec member) {
        return member.dataDir() + ".cpr-" + planId;
    }

    private String restoring(MemberSpec member) {
        return member.dataDir() + ".cpr-" + planId + ".restoring";
    }

    private String restoredMarker(MemberSpec member) {
        return member.dataDir() + ".cpr-" + planId + ".restored";
    }

    private Optional<String> allRestored() throws IOException {
        for (MemberSpec member : cluster.members()) {
            if (!nodes.exists(member, restoredMarker(member))) {
                return Optional.empty();
            }
        }
        return Optional.of("every member was restored from " + snapshot().id() + " by this plan");
    }

    private String restoreMembers() throws Exception {
        List<MemberSpec> members = cluster.members();
        ExecutorService pool = Executors.newFixedThreadPool(members.size(), r -> {
            Thread t = new Thread(r, "cpr-restore-" + planId.substring(0, Math.min(8, planId.length())));
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (MemberSpec member : members) {
                results.add(pool.submit(() -> restoreMember(member)));
            }
            List<String> lines = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                try {
                    lines.add(results.get(i).get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.add(members.get(i).name() + ": " + (cause.getMessage() != null ? cause.getMessage()
                            : cause.getClass().getSimpleName()));
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("restore failed on " + failures.size() + " member(s): "
                        + String.join("; ", failures));
            }
            return "new cluster token " + newToken(cluster, planId) + "; " + String.join("; ", lines);
        } finally {
            pool.shutdownNow();
        }
    }

    private String restoreMember(MemberSpec member) throws IOException {
        if (nodes.exists(member, restoredMarker(member))) {
            return member.name() + " already restored";
        }
        String file = nodes.stage(member, snapshotFile());
        String tmp = restoring(member);
        nodes.delete(member, tmp);
        EtcdTools.RestoreTarget target = new EtcdTools.RestoreTarget(file, member.name(), cluster.initialClusterFlag(),
                newToken(cluster, planId), member.peerUrl(), tmp);
        EtcdVersion version = etcdVersion(member);
        EtcdTools.Command restore = EtcdTools.restore(version, target, settings.bumpRevision());
        Optional<String> tool = findTool(member, restore.tool());
        if (tool.isEmpty()) {
            Optional<EtcdTools.Command> fallback = EtcdTools.restoreWithEtcdctl(version, target, settings.bumpRevision());
            tool = fallback.flatMap(c -> findTool(member, c.tool()));
            if (tool.isEmpty()) {
                throw new IllegalStateException("etcd " + version + " on the node of " + member.name() + " restores with "
                        + restore.tool().binary() + ", which runs neither next to " + member.etcdBinary() + " nor as "
                        + configured(restore.tool()) + (fallback.isPresent() ? " (nor does " + settings.etcdctl() + ")" : ""));
            }
            restore = fallback.get();
        }
        List<String> argv = restore.argv(tool.get());
        long started = System.nanoTime();
        NodeControl.CommandOutcome outcome = nodes.exec(member, argv, settings.restoreTimeout());
        if (!outcome.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + outcome.exitCode() + ": "
                    + tail(outcome.output(), 600));
        }
        String movedAside;
        if (nodes.exists(member, member.dataDir())) {
            if (!nodes.exists(member, aside(member))) {
                nodes.move(member, member.dataDir(), aside(member));
                movedAside = "old data dir moved to " + aside(member);
            } else {
                // the old data is aside already: what is in the data dir now is an earlier try of this plan
                nodes.delete(member, member.dataDir());
                movedAside = "old data dir was already at " + aside(member);
            }
        } else {
            movedAside = "it had no data dir";
        }
        nodes.move(member, tmp, member.dataDir());
        nodes.touch(member, restoredMarker(member));
        return String.format("%s restored with %s (etcd %s%s) in %d ms (%s)%s", member.name(), toolName(tool.get()),
                version, argv.contains("--bump-revision") ? ", revision bumped by " + settings.bumpRevision() : "",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), movedAside,
                restore.note().map(n -> "; " + n).orElse(""));
    }

    /**
     * The etcd release the member's node runs: its {@code etcd --version} there (the binary that will open the
     * restored data; the members are stopped by now), else any member's status, should one still answer.
     */
    private EtcdVersion etcdVersion(MemberSpec member) {
        try {
            NodeControl.CommandOutcome outcome = nodes.exec(member, List.of(member.etcdBinary(), "--version"),
                    TOOL_PROBE_TIMEOUT);
            Optional<EtcdVersion> version = outcome.ok() ? EtcdVersion.find(outcome.output()) : Optional.empty();
            if (version.isPresent()) {
                return version.get();
            }
        } catch (IOException | RuntimeException e) {
            // the status below may still tell
        }
        for (MemberSpec any : cluster.members()) {
            Optional<EtcdVersion> version = etcd.version(any.clientUrl()).flatMap(EtcdVersion::find);
            if (version.isPresent()) {
                return version.get();
            }
        }
        throw new IllegalStateException("cannot tell which etcd release " + member.name() + " runs: '"
                + member.etcdBinary() + " --version' fails on its node and no member answers a status request");
    }

    /**
     * A snapshot tool that runs on the member's node, for callers that restore a member's own data (the survivor
     * rebuild): etcdutl where there is one (3.5+), else etcdctl (3.4).
     */
    String restoreTool(MemberSpec member) {
        return findTool(member, EtcdTools.Tool.ETCDUTL).or(() -> findTool(member, EtcdTools.Tool.ETCDCTL))
                .orElseThrow(() -> new IllegalStateException("neither " + settings.etcdutl() + " nor "
                        + settings.etcdctl() + " runs on the node of " + member.name()));
    }

    private String configured(EtcdTools.Tool tool) {
        return tool == EtcdTools.Tool.ETCDUTL ? settings.etcdutl() : settings.etcdctl();
    }

    /** The tool's binary that answers on the member's node: next to its etcd first, then as configured. */
    private Optional<String> findTool(MemberSpec member, EtcdTools.Tool tool) {
        return candidates(member, configured(tool)).stream().filter(c -> answers(member, c)).findFirst();
    }

    private static List<String> candidates(MemberSpec member, String tool) {
        List<String> candidates = new ArrayList<>();
        String etcdBinary = member.etcdBinary();
        if (!tool.contains("/") && etcdBinary.contains("/")) {
            candidates.add(etcdBinary.substring(0, etcdBinary.lastIndexOf('/') + 1) + tool);
        }
        candidates.add(tool);
        return candidates;
    }

    private boolean answers(MemberSpec member, String tool) {
        try {
            return nodes.exec(member, List.of(tool, "version"), TOOL_PROBE_TIMEOUT).ok();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String toolName(String tool) {
        return tool.substring(tool.lastIndexOf('/') + 1);
    }

    private void verifyRestored() throws IOException {
        for (MemberSpec member : cluster.members()) {
            if (!nodes.exists(member, member.dataDir()) || !nodes.exists(member, restoredMarker(member))) {
                throw new IllegalStateException(member.name() + "'s data dir " + member.dataDir()
                        + " was not restored");
            }
        }
    }

    // start-members

    private Optional<String> allRunning() {
        return running().size() == cluster.members().size()
                ? Optional.of("every member of " + cluster.id() + " is running")
                : Optional.empty();
    }

    private String startMembers() throws IOException {
        String token = newToken(cluster, planId);
        List<String> started = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            if (!nodes.isRunning(member)) {
                nodes.start(cluster, member, cluster.initialClusterFlag(), NodeControl.ClusterState.NEW, token);
                started.add(member.name());
            }
        }
        return "started " + String.join(", ", started) + " with --initial-cluster-state new --initial-cluster-token "
                + token;
    }

    private void verifyAllRunning() {
        List<String> down = cluster.members().stream().filter(m -> !nodes.isRunning(m)).map(MemberSpec::name).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException(down + " exited right after start (see the member logs)");
        }
    }

    // verify-restore

    private String verifyRestore() throws InterruptedException {
        SnapshotRef ref = snapshot();
        String last = "not polled yet";
        long polls = Math.max(1, settings.verifyTimeout().toMillis() / settings.pollInterval().toMillis());
        for (long i = 0; i < polls; i++) {
            try {
                Optional<String> problem = restoreProblem(ref);
                if (problem.isEmpty()) {
                    EtcdAdmin.Keyspace keyspace = etcd.keyspace(cluster);
                    return String.format("%d/%d members healthy, one leader; %d keys at revision %d (snapshot %s: %d "
                            + "keys at revision %d)", cluster.members().size(), cluster.members().size(), keyspace.keyCount(),
                            keyspace.revision(), ref.id(), ref.keyCount(), ref.revision());
                }
                last = problem.get();
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            sleeper.sleep(settings.pollInterval());
        }
        throw new IllegalStateException("cluster not restored after " + settings.verifyTimeout().toMillis() + " ms: "
                + last);
    }

    private Optional<String> restoreProblem(SnapshotRef ref) {
        List<MemberStatus> statuses = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            Optional<MemberStatus> status = etcd.status(member.clientUrl());
            if (status.isEmpty() || !status.get().hasLeader()) {
                return Optional.of(member.name() + " is not healthy yet");
            }
            statuses.add(status.get());
        }
        Set<Long> leaders = statuses.stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
        long selfLeaders = statuses.stream().filter(MemberStatus::isLeader).count();
        if (leaders.size() != 1 || selfLeaders != 1) {
            return Optional.of("members disagree on the leader: " + leaders + ", " + selfLeaders + " claim it");
        }
        EtcdAdmin.Keyspace keyspace = etcd.keyspace(cluster);
        if (keyspace.keyCount() != ref.keyCount()) {
            return Optional.of("the cluster holds " + keyspace.keyCount() + " keys, the snapshot " + ref.keyCount());
        }
        if (keyspace.revision() < ref.revision()) {
            return Optional.of("the cluster is at revision " + keyspace.revision() + ", below the snapshot's "
                    + ref.revision());
        }
        return Optional.empty();
    }

    // restore-v2-keys

    private final java.util.concurrent.atomic.AtomicReference<SnapshotCatalog.V2Export> v2 =
            new java.util.concurrent.atomic.AtomicReference<>();

    private Path v2File() {
        return snapshotFile().resolveSibling(planId + "-" + snapshot().id() + ".v2.json");
    }

    private Path v2Marker() {
        return v2File().resolveSibling(v2File().getFileName() + ".restored");
    }

    private Optional<String> v2NotNeeded() throws IOException {
        Optional<SnapshotCatalog.V2Export> export = catalog.downloadV2(snapshot().id(), v2File());
        if (export.isEmpty()) {
            return StepSpec.notNeeded("snapshot " + snapshot().id() + " has no v2 keyspace export (backup-service "
                    + "exports v2 keys only for clusters marked backup.v2-data: true); no v2 keys restored");
        }
        v2.set(export.get());
        if (Files.exists(v2Marker())) {
            return Optional.of(export.get().keyCount() + " v2 keys were put back by this plan");
        }
        return Optional.empty();
    }

    private String restoreV2() throws IOException {
        SnapshotCatalog.V2Export export = v2.get();
        if (export == null || !Files.isRegularFile(v2File())) {
            throw new IllegalStateException("the v2 export of " + snapshot().id() + " is not downloaded");
        }
        String actual = sha256(v2File());
        if (!actual.equalsIgnoreCase(export.sha256())) {
            throw new StepSpec.FatalStepException("sha256 of the v2 export of " + snapshot().id() + " is " + actual
                    + " but the catalog says " + export.sha256() + ": refused (the v3 data is restored)");
        }
        MemberSpec target = cluster.members().get(0);
        long put = etcd.putV2(target.clientUrl(), v2File());
        Files.writeString(v2Marker(), Long.toString(put));
        return "put " + put + " v2 keys into " + target.name() + " over the v2 API (export: " + export.keyCount()
                + " keys, sha256 matches the catalog)";
    }

    private void verifyV2() {
        SnapshotCatalog.V2Export export = v2.get();
        long count = etcd.countV2(cluster.members().get(0).clientUrl());
        if (export != null && count < export.keyCount()) {
            throw new IllegalStateException("the v2 keyspace holds " + count + " keys, the export " + export.keyCount());
        }
    }

    // post-restore-hooks

    /** How many commands the configured hooks run in all. */
    private int hookRunCount() {
        return settings.hooks().stream().mapToInt(h -> h.member() == null || h.member().isBlank()
                || "*".equals(h.member()) ? cluster.members().size() : 1).sum();
    }

    private List<MemberSpec> hookMembers(Hook hook) {
        if (hook.member() == null || hook.member().isBlank() || "*".equals(hook.member())) {
            return cluster.members();
        }
        return List.of(cluster.member(hook.member()).orElseThrow(() -> new StepSpec.FatalStepException(
                "post-restore hook names member " + hook.member() + ", which is not in the inventory of "
                        + cluster.id())));
    }

    private Optional<String> noHooks() {
        return settings.hooks().isEmpty() ? StepSpec.notNeeded(String.format(SEED_002_NOTE, cluster.id()))
                : Optional.empty();
    }

    private String runHooks() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Hook hook : settings.hooks()) {
            for (MemberSpec member : hookMembers(hook)) {
                NodeControl.CommandOutcome outcome = nodes.exec(member, List.of("sh", "-c", hook.command()),
                        settings.hookTimeout());
                out.append(member.name()).append(" $ ").append(hook.command()).append(" -> exit ")
                        .append(outcome.exitCode()).append('\n').append(tail(outcome.output(), 800));
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                if (!outcome.ok()) {
                    throw new StepSpec.FatalStepException("post-restore hook on " + member.name() + " exited "
                            + outcome.exitCode() + " (etcd itself is restored and verified):\n" + tail(out.toString(),
                            MAX_OUTPUT));
                }
            }
        }
        return tail(out.toString().trim(), MAX_OUTPUT);
    }

    private static String tail(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }
}

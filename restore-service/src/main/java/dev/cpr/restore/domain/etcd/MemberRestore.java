package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code restore-members} step of a quorum restore, on every member's node at once: {@code snapshot restore}
 * into a new data dir with the new cluster token, by the tool the node's etcd release restores with; the old data
 * dir is moved aside to {@code <data-dir>.cpr-<planId>}, never deleted, and a marker beside it says the member is done.
 */
final class MemberRestore {

    private static final Duration TOOL_PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSpec cluster;
    private final String planId;
    private final SnapshotRef snapshot;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final EtcdQuorumRestorePlan.Settings settings;
    private final SnapshotDownload download;

    MemberRestore(ClusterSpec cluster, String planId, SnapshotRef snapshot, EtcdAdmin etcd, NodeControl nodes,
            EtcdQuorumRestorePlan.Settings settings, SnapshotDownload download) {
        this.cluster = cluster;
        this.planId = planId;
        this.snapshot = snapshot;
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = settings;
        this.download = download;
    }

    /** Where the member's old data dir goes: kept for an operator to look at. */
    String aside(MemberSpec member) {
        return member.dataDir() + ".cpr-" + planId;
    }

    private String restoring(MemberSpec member) {
        return member.dataDir() + ".cpr-" + planId + ".restoring";
    }

    private String restoredMarker(MemberSpec member) {
        return member.dataDir() + ".cpr-" + planId + ".restored";
    }

    Optional<String> allRestored() throws IOException {
        for (MemberSpec member : cluster.members()) {
            if (!nodes.exists(member, restoredMarker(member))) {
                return Optional.empty();
            }
        }
        return Optional.of("every member was restored from " + EtcdQuorumRestorePlan.required(snapshot).id()
                + " by this plan");
    }

    String restoreAll() throws Exception {
        List<MemberSpec> members = cluster.members();
        ExecutorService pool = Executors.newFixedThreadPool(members.size(), r -> {
            Thread t = new Thread(r, "cpr-restore-" + planId.substring(0, Math.min(8, planId.length())));
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (MemberSpec member : members) {
                results.add(pool.submit(() -> restore(member)));
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
            return "new cluster token " + EtcdQuorumRestorePlan.newToken(cluster, planId) + "; "
                    + String.join("; ", lines);
        } finally {
            pool.shutdownNow();
        }
    }

    private String restore(MemberSpec member) throws IOException {
        if (nodes.exists(member, restoredMarker(member))) {
            return member.name() + " already restored";
        }
        String file = nodes.stage(member, download.file());
        String tmp = restoring(member);
        nodes.delete(member, tmp);
        EtcdTools.RestoreTarget target = new EtcdTools.RestoreTarget(file, member.name(), cluster.initialClusterFlag(),
                EtcdQuorumRestorePlan.newToken(cluster, planId), member.peerUrl(), tmp);
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
                    + OutputTail.tail(outcome.output(), 600));
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

    /** A snapshot tool that runs on the member's node: etcdutl where there is one (3.5+), else etcdctl (3.4). */
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

    void verify() throws IOException {
        for (MemberSpec member : cluster.members()) {
            if (!nodes.exists(member, member.dataDir()) || !nodes.exists(member, restoredMarker(member))) {
                throw new IllegalStateException(member.name() + "'s data dir " + member.dataDir()
                        + " was not restored");
            }
        }
    }
}

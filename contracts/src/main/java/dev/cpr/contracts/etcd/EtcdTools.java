package dev.cpr.contracts.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which etcd tool does what on which release, and the command lines cpr runs with it (backup-service's drill,
 * restore-service's quorum restore):
 * <pre>
 *  3.4          etcdctl snapshot restore / status; the v2 store exists (--enable-v2)
 *  3.5.0-3.5.7  etcdutl snapshot restore / status (etcdctl's still works, deprecated); no revision bump yet
 *  3.5.8+, 3.6  etcdutl snapshot restore --bump-revision N --mark-compacted, so Kubernetes watch caches and
 *               informers do not see revisions go backwards after a restore (etcd issue 16028)
 *  3.6          etcdctl has no snapshot restore and there is no v2 store (no v2 export)
 * </pre>
 */
public final class EtcdTools {

    /** The etcd recovery guide's bump: more than the writes since any snapshot a cluster will be restored from. */
    public static final long DEFAULT_BUMP_REVISION = 1_000_000_000L;

    private static final EtcdVersion ETCDUTL = new EtcdVersion(3, 5, 0);
    private static final EtcdVersion BUMP = new EtcdVersion(3, 5, 8);
    private static final EtcdVersion NO_V2 = new EtcdVersion(3, 6, 0);

    public enum Tool {
        ETCDCTL("etcdctl"), ETCDUTL("etcdutl");

        private final String binary;

        Tool(String binary) {
            this.binary = binary;
        }

        /** The binary's usual name. */
        public String binary() {
            return binary;
        }
    }

    /**
     * A command for one tool: {@code args} go after the binary; {@code note} says what the release does not do
     * (e.g. no revision bump before 3.5.8), empty when nothing is left out.
     */
    public record Command(Tool tool, List<String> args, Optional<String> note) {

        public Command {
            args = List.copyOf(args);
        }

        /** The whole command line with {@code binary} (a path or a name on the PATH) as the tool. */
        public List<String> argv(String binary) {
            List<String> argv = new ArrayList<>();
            argv.add(binary);
            argv.addAll(args);
            return argv;
        }
    }

    /** Where {@code snapshot restore} writes one member of the restored cluster. */
    public record RestoreTarget(String snapshotFile, String name, String initialCluster, String token, String peerUrl,
            String dataDir) {
    }

    private EtcdTools() {
    }

    /** The tool that restores and reads snapshots on {@code version}: etcdutl from 3.5, etcdctl before. */
    public static Tool snapshotTool(EtcdVersion version) {
        return version.compareTo(ETCDUTL) >= 0 ? Tool.ETCDUTL : Tool.ETCDCTL;
    }

    /** Whether {@code version}'s etcdutl can bump the revision of a restored snapshot. */
    public static boolean canBumpRevision(EtcdVersion version) {
        return version.compareTo(BUMP) >= 0;
    }

    /** Whether {@code version}'s etcdctl still has {@code snapshot restore} (gone in 3.6). */
    public static boolean etcdctlCanRestore(EtcdVersion version) {
        return version.compareTo(NO_V2) < 0;
    }

    /** Whether {@code version} still has the v2 store (gone in 3.6). */
    public static boolean hasV2Store(EtcdVersion version) {
        return version.compareTo(NO_V2) < 0;
    }

    /** Why there is no v2 export on {@code version}, for a step or log line that skips it. */
    public static String noV2Note(EtcdVersion version) {
        return "etcd " + version + " has no v2 store (removed in 3.6): no v2 keyspace to export or restore";
    }

    /**
     * {@code snapshot restore} of one member on {@code version}, bumping the revision by {@code bumpRevision} where
     * the release can (3.5.8+; 0: no bump). A bump always comes with {@code --mark-compacted}, which etcdutl requires.
     */
    public static Command restore(EtcdVersion version, RestoreTarget target, long bumpRevision) {
        if (bumpRevision < 0) {
            throw new IllegalArgumentException("the revision bump must be 0 or more, not " + bumpRevision);
        }
        List<String> args = new ArrayList<>(List.of("snapshot", "restore", target.snapshotFile(),
                "--name", target.name(),
                "--initial-cluster", target.initialCluster(),
                "--initial-cluster-token", target.token(),
                "--initial-advertise-peer-urls", target.peerUrl(),
                "--data-dir", target.dataDir()));
        Tool tool = snapshotTool(version);
        Optional<String> note = Optional.empty();
        if (bumpRevision > 0 && canBumpRevision(version)) {
            args.addAll(List.of("--bump-revision", Long.toString(bumpRevision), "--mark-compacted"));
        } else if (bumpRevision > 0) {
            note = Optional.of("etcd " + version + " cannot bump the revision of a restored snapshot (etcdutl 3.5.8+): "
                    + "Kubernetes watch caches may see revisions go backwards; restart the apiservers");
        }
        return new Command(tool, args, note);
    }

    /**
     * The same restore with etcdctl, for a 3.5 node that has no etcdutl: still works there (deprecated), without
     * the bump. Empty on 3.6, where etcdctl cannot restore.
     */
    public static Optional<Command> restoreWithEtcdctl(EtcdVersion version, RestoreTarget target, long bumpRevision) {
        if (!etcdctlCanRestore(version)) {
            return Optional.empty();
        }
        Command preferred = restore(new EtcdVersion(3, 4, 0), target, 0);
        String why = "etcdutl was not found on the node, so etcdctl restored (deprecated on " + version + ")"
                + (bumpRevision > 0 ? " without --bump-revision: Kubernetes watch caches may see revisions go backwards; "
                + "restart the apiservers" : "");
        return Optional.of(new Command(Tool.ETCDCTL, preferred.args(), Optional.of(why)));
    }

    /** {@code snapshot status FILE -w json}: revision, total keys, hash and size of a snapshot file. */
    public static Command snapshotStatus(EtcdVersion version, String snapshotFile) {
        return new Command(snapshotTool(version), List.of("snapshot", "status", snapshotFile, "-w", "json"),
                Optional.empty());
    }
}

package dev.cpr.restore.adapters.ssh;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.domain.etcd.NodeControl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@link NodeControl} for {@code access: {type: ssh, host, port, user}}: every operation is a command run on
 * the member's node over ssh ({@link SshExecutor}), from the templates in {@link SshCommands} (systemd and
 * {@code /etc/etcd.env} by default, the kubespray layout of seeds 002/004).
 * <ul>
 *   <li>isRunning: {@code is-active} exits 0;</li>
 *   <li>stop: {@code stop};</li>
 *   <li>hasData: {@code has-data} exits 0 ({@code <data-dir>/member} exists);</li>
 *   <li>wipe: {@code wipe} ({@code rm -rf <data-dir>/member}), only for a data dir the {@link DataDirGuard}
 *       allows;</li>
 *   <li>start: the env file read, {@code ETCD_INITIAL_CLUSTER_STATE=existing} and {@code ETCD_INITIAL_CLUSTER}
 *       set in it (other lines kept, a stale {@code ETCD_FORCE_NEW_CLUSTER} dropped), written back, then
 *       {@code start}.</li>
 * </ul>
 * For the quorum restore it also runs commands ({@code exec}), starts a member as part of a NEW cluster under a
 * new token (the env file edited likewise), checks, moves, deletes (guarded), touches files and stages the
 * snapshot on the node ({@code cat > <staging-dir>/<file>} over the ssh channel, size checked).
 * <p>
 * A command that exits non-zero (other than the is-active/has-data probes) fails the operation with an
 * {@link SshException} carrying its exit code and stderr. Every command's result is logged and kept in a
 * short per-member transcript ({@link #transcript(String)}) so a step can show what ran.
 */
public final class SshNodeControl implements NodeControl, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SshNodeControl.class);
    private static final int TRANSCRIPT_SIZE = 20;

    /**
     * @param defaultPort  used when the inventory gives no port
     * @param defaultUser  used when the inventory gives no user
     * @param stagingDir   where {@link #stage} copies files to on the node
     * @param stageTimeout bound of one such copy (a snapshot may be large)
     */
    public record Settings(SshCommands commands, DataDirGuard guard, int defaultPort, String defaultUser,
            String stagingDir, Duration stageTimeout) {

        /** The default staging dir ({@code /var/tmp/cpr}) and a 10 minute copy bound. */
        public Settings(SshCommands commands, DataDirGuard guard, int defaultPort, String defaultUser) {
            this(commands, guard, defaultPort, defaultUser, "/var/tmp/cpr", Duration.ofMinutes(10));
        }
    }

    private final SshExecutor executor;
    private final Settings settings;
    private final Map<String, Deque<CommandResult>> transcripts = new ConcurrentHashMap<>();
    private volatile Consumer<CommandResult> observer = r -> { };

    public SshNodeControl(SshExecutor executor, Settings settings) {
        this.executor = executor;
        this.settings = settings;
    }

    /** Also tell this observer about every command result (e.g. to stream it into a step's output). */
    public void observe(Consumer<CommandResult> observer) {
        this.observer = observer != null ? observer : r -> { };
    }

    @Override
    public boolean isRunning(MemberSpec member) {
        try {
            return run(member, settings.commands().isActive(), null, false).ok();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop(MemberSpec member) throws IOException {
        run(member, settings.commands().stop(), null, true);
    }

    @Override
    public boolean hasData(MemberSpec member) {
        try {
            return run(member, settings.commands().hasData(), null, false).ok();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void wipe(MemberSpec member) throws IOException {
        settings.guard().check(member.name(), member.dataDir());
        run(member, settings.commands().wipe(), null, true);
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException {
        editEnvAndStart(member, content -> EtcdEnvFile.joinExisting(content, initialCluster));
    }

    /**
     * Starts the member with this cluster state and token (after a quorum restore: {@code new} and the new token),
     * written into the env file as {@code ETCD_INITIAL_CLUSTER_STATE}, {@code ETCD_INITIAL_CLUSTER} and
     * {@code ETCD_INITIAL_CLUSTER_TOKEN}.
     */
    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster, ClusterState state, String token)
            throws IOException {
        editEnvAndStart(member, content -> EtcdEnvFile.start(content, initialCluster,
                state == ClusterState.NEW ? "new" : "existing", token));
    }

    private void editEnvAndStart(MemberSpec member, java.util.function.UnaryOperator<String> edit) throws IOException {
        String content = run(member, settings.commands().readEnv(), null, true).stdout();
        String edited = edit.apply(content);
        if (!edited.equals(content)) {
            run(member, settings.commands().writeEnv(), edited, true);
        }
        run(member, settings.commands().start(), null, true);
    }

    /**
     * Runs {@code argv} on the member's node (each word quoted, the prefix applied); output is stdout then stderr.
     * A non-zero exit is returned, not thrown: the caller decides.
     */
    @Override
    public CommandOutcome exec(MemberSpec member, List<String> argv, Duration timeout) throws IOException {
        CommandResult result = runCommand(member, settings.commands().argv(argv), null, false, timeout);
        String output = result.stdout() + (result.stderr().isEmpty() ? "" : result.stderr());
        return new CommandOutcome(result.exitCode(), output);
    }

    // File operations on the node, for the quorum restore (plain POSIX commands, the prefix applied).

    /** Whether a file or directory exists on the member's node ({@code test -e}). */
    @Override
    public boolean exists(MemberSpec member, String path) throws IOException {
        requireAbsolute(member, path);
        return runCommand(member, settings.commands().argv(List.of("test", "-e", path)), null, false,
                null).ok();
    }

    /** Renames a file or directory on the member's node ({@code mv}, same file system). */
    @Override
    public void move(MemberSpec member, String from, String to) throws IOException {
        requireAbsolute(member, from);
        requireAbsolute(member, to);
        runCommand(member, settings.commands().argv(List.of("mv", "-T", "--", from, to)), null, true, null);
    }

    /**
     * Deletes a file or directory tree on the member's node; nothing if it does not exist. Only paths the
     * {@link DataDirGuard} allows (inside an allowed prefix, or cpr's {@code .cpr-} siblings of one).
     */
    @Override
    public void delete(MemberSpec member, String path) throws IOException {
        String checked = settings.guard().check(member.name(), path);
        runCommand(member, settings.commands().argv(List.of("rm", "-rf", "--", checked)), null, true, null);
    }

    /** Creates an empty file (or updates its time) on the member's node. */
    @Override
    public void touch(MemberSpec member, String path) throws IOException {
        requireAbsolute(member, path);
        runCommand(member, settings.commands().argv(List.of("touch", "--", path)), null, true, null);
    }

    /**
     * Copies a local file (the downloaded snapshot) to {@code <staging-dir>/<file name>} on the member's node,
     * through a {@code .part} file renamed at the end, and checks its size there; a complete copy already there
     * is kept. Returns its path on the node.
     */
    @Override
    public String stage(MemberSpec member, Path localFile) throws IOException {
        long size = Files.size(localFile);
        String dir = settings.stagingDir();
        requireAbsolute(member, dir);
        String remote = (dir.endsWith("/") ? dir : dir + "/") + localFile.getFileName();
        if (remoteSize(member, remote) == size) {
            return remote;
        }
        String part = remote + ".part";
        String copy = "mkdir -p " + SshCommands.quote(dir) + " && cat > " + SshCommands.quote(part) + " && mv -f "
                + SshCommands.quote(part) + " " + SshCommands.quote(remote);
        try (InputStream in = Files.newInputStream(localFile)) {
            runCommand(member, settings.commands().wrap(copy), in, true, settings.stageTimeout());
        }
        long copied = remoteSize(member, remote);
        if (copied != size) {
            throw new SshException(target(member).host() + ": staged " + remote + " has " + copied + " bytes, "
                    + localFile + " has " + size);
        }
        return remote;
    }

    private long remoteSize(MemberSpec member, String path) throws IOException {
        CommandResult result = runCommand(member, settings.commands().argv(List.of("wc", "-c", path)), null, false,
                null);
        if (!result.ok()) {
            return -1;
        }
        try {
            return Long.parseLong(result.stdout().trim().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void requireAbsolute(MemberSpec member, String path) {
        if (path == null || !path.startsWith("/") || path.contains("\0") || path.contains("\n")) {
            throw new IllegalArgumentException("path '" + path + "' on " + member.name() + "'s node must be absolute");
        }
    }

    /** The last commands run for this member, oldest first. */
    public List<CommandResult> transcript(String member) {
        Deque<CommandResult> results = transcripts.get(member);
        if (results == null) {
            return List.of();
        }
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** The ssh target of a member: host, port and user from the inventory, defaults from the settings. */
    public SshTarget target(MemberSpec member) {
        NodeAccess access = member.access();
        if (access == null || access.type() != NodeAccess.Type.SSH) {
            throw new IllegalArgumentException("member " + member.name() + " has no ssh access ("
                    + (access == null || access.type() == null ? "none" : access.type().name().toLowerCase()) + ")");
        }
        if (access.host() == null || access.host().isBlank()) {
            throw new IllegalArgumentException("member " + member.name() + " has ssh access without a host");
        }
        int port = access.port() != null ? access.port() : settings.defaultPort();
        String user = access.user() != null && !access.user().isBlank() ? access.user() : settings.defaultUser();
        return new SshTarget(access.host(), port, user);
    }

    SshCommands.Target templateTarget(MemberSpec member) {
        return new SshCommands.Target(member.name(), member.dataDir(), member.clientUrl(), member.peerUrl(),
                target(member).host());
    }

    private CommandResult run(MemberSpec member, String template, String stdin, boolean mustSucceed)
            throws SshException {
        String command = settings.commands().render(template, templateTarget(member));
        return runCommand(member, command,
                stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), mustSucceed,
                null);
    }

    /** Runs a ready command line; {@code timeout} null for the executor's default. */
    CommandResult runCommand(MemberSpec member, String command, InputStream stdin, boolean mustSucceed,
            Duration timeout) throws SshException {
        SshTarget target = target(member);
        CommandResult result = executor.run(target, command, stdin,
                timeout != null ? timeout : executor.commandTimeout());
        record(member.name(), result);
        if (mustSucceed && !result.ok()) {
            LOG.warnf("member %s: %s", member.name(), result.summary());
            throw new SshException(result);
        }
        LOG.infof("member %s: %s", member.name(), result.summary());
        return result;
    }

    private void record(String member, CommandResult result) {
        Deque<CommandResult> results = transcripts.computeIfAbsent(member, k -> new ArrayDeque<>());
        synchronized (results) {
            results.addLast(result);
            while (results.size() > TRANSCRIPT_SIZE) {
                results.removeFirst();
            }
        }
        observer.accept(result);
    }

    @Override
    public void close() {
        executor.close();
    }
}

package dev.cpr.restore.adapters.ssh;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.domain.etcd.NodeControl;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A command that exits non-zero (other than the is-active/has-data probes) fails the operation with an
 * {@link SshException} carrying its exit code and stderr. Every command's result is logged and kept in a
 * short per-member transcript ({@link #transcript(String)}) so a step can show what ran.
 */
public final class SshNodeControl implements NodeControl, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SshNodeControl.class);
    private static final int TRANSCRIPT_SIZE = 20;

    /**
     * @param defaultPort used when the inventory gives no port
     * @param defaultUser used when the inventory gives no user
     */
    public record Settings(SshCommands commands, DataDirGuard guard, int defaultPort, String defaultUser) {
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
        String content = run(member, settings.commands().readEnv(), null, true).stdout();
        String edited = EtcdEnvFile.joinExisting(content, initialCluster);
        if (!edited.equals(content)) {
            run(member, settings.commands().writeEnv(), edited, true);
        }
        run(member, settings.commands().start(), null, true);
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
        SshTarget target = target(member);
        String command = settings.commands().render(template, templateTarget(member));
        CommandResult result = executor.run(target, command, stdin);
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

package dev.cpr.contracts.node;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code access: local} means: the member runs as an {@code etcd} process on this host,
 * started detached with its output appended to its log file and its pid in its pid file. The
 * sandbox and restore-service's local node access both go through here, so the pid file is the
 * one truth about which process is the member.
 */
public final class LocalEtcdMember {

    /** {@code new} for a cluster being formed, {@code existing} to join a running one. */
    public enum InitialState { NEW, EXISTING }

    private final MemberSpec member;
    private final Path dataDir;
    private final Path pidFile;
    private final Path logFile;

    public LocalEtcdMember(MemberSpec member) {
        this.member = member;
        this.dataDir = Path.of(member.dataDir());
        this.pidFile = Path.of(member.localPidFile());
        this.logFile = Path.of(member.localLogFile());
    }

    public String name() {
        return member.name();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path pidFile() {
        return pidFile;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * The etcd command line for this member.
     *
     * @param initialCluster {@code name=peer,...} of the members it should know at start
     */
    public List<String> command(ClusterSpec cluster, String initialCluster, InitialState state) {
        List<String> argv = new ArrayList<>(List.of(
                member.etcdBinary(),
                "--name", member.name(),
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", member.clientUrl(),
                "--advertise-client-urls", member.clientUrl(),
                "--listen-peer-urls", member.peerUrl(),
                "--initial-advertise-peer-urls", member.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", state.name().toLowerCase(),
                "--initial-cluster-token", cluster.token(),
                // loopback members: short heartbeats make failover and catch-up quick
                "--heartbeat-interval", "100",
                "--election-timeout", "1000",
                "--logger", "zap"));
        return argv;
    }

    /** Starts the member detached from this JVM (it outlives us) and records its pid. */
    public long start(ClusterSpec cluster, String initialCluster, InitialState state) throws IOException {
        Optional<ProcessHandle> running = process();
        if (running.isPresent()) {
            return running.get().pid();
        }
        Files.createDirectories(dataDir.toAbsolutePath().getParent());
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command(cluster, initialCluster, state))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2")) {
                throw new IOException("'" + member.etcdBinary() + "' was not found: install etcd 3.4+ "
                        + "(Debian: apt-get install etcd-server etcd-client) or set access.etcd-binary", e);
            }
            throw e;
        }
        recordPid(process.pid());
        return process.pid();
    }

    /**
     * Written aside and moved into place: the sandbox and restore-service both read this file, and a reader that met
     * it truncated half-way would take a running member for a dead one.
     */
    private void recordPid(long pid) throws IOException {
        Path written = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(written, Long.toString(pid));
        Files.move(written, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Deletes the pid file only while it still names {@code stopped}: another process (restore-service, the sandbox)
     * may have started the member again meanwhile, and its pid file must stay, or that member runs unseen.
     */
    void forget(ProcessHandle stopped) throws IOException {
        try {
            if (Files.exists(pidFile) && Long.parseLong(Files.readString(pidFile).trim()) == stopped.pid()) {
                Files.deleteIfExists(pidFile);
            }
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
        }
    }

    /**
     * The member's process if its pid file names a live etcd process. The whole command line is what is
     * matched, not the executable: a member started through a wrapper script (the sandbox's quota flags)
     * runs as the shell until it execs etcd, and on a busy machine a check in that moment must not call
     * the member dead.
     */
    public Optional<ProcessHandle> process() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid)
                    .filter(process -> !hasExited(process))
                    .filter(LocalEtcdMember::isEtcd);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The process is gone, or it has exited and waits only to be reaped: a zombie, which Java still calls alive and
     * whose empty command line {@link #isEtcd} would take for etcd's. A member orphaned by the JVM that started it
     * (restore-service killed and restarted) is reaped by init, which on some hosts does so only every second or
     * two; CI saw a killed member surveyed as "running" in that window and the wrong recovery proposed.
     */
    public static boolean hasExited(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            char state = afterName > 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            // no /proc (not Linux), or the process is gone since: Java's answer stands
            return !process.isAlive();
        }
    }

    private static boolean isEtcd(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command).map(line -> line.contains("etcd")).orElse(true);
    }

    public boolean isRunning() {
        return process().isPresent();
    }

    /** Stops the member: SIGTERM, then SIGKILL after the grace period. */
    public void stop(Duration grace) throws IOException {
        Optional<ProcessHandle> process = process();
        if (process.isPresent()) {
            ProcessHandle handle = process.get();
            handle.destroy();
            if (!exits(handle, grace)) {
                handle.destroyForcibly();
                awaitExit(handle);
            }
            forget(handle);
        }
    }

    /** SIGKILL, as a crashed node would die. */
    public void kill() throws IOException {
        Optional<ProcessHandle> process = process();
        if (process.isPresent()) {
            process.get().destroyForcibly();
            awaitExit(process.get());
            forget(process.get());
        }
    }

    /**
     * SIGKILL to every member before waiting for any: members lost together (a rack, a power cut) die in the same
     * instant, which kills one after another do not give on a loaded machine (CI10 saw two such kills 1.7 s apart).
     */
    public static void killTogether(List<LocalEtcdMember> members) throws IOException {
        Map<LocalEtcdMember, ProcessHandle> dying = new LinkedHashMap<>();
        for (LocalEtcdMember member : members) {
            member.process().ifPresent(process -> {
                process.destroyForcibly();
                dying.put(member, process);
            });
        }
        for (Map.Entry<LocalEtcdMember, ProcessHandle> killed : dying.entrySet()) {
            awaitExit(killed.getValue());
            killed.getKey().forget(killed.getValue());
        }
    }

    /** Deletes the data directory and everything in it. */
    public void wipe() throws IOException {
        deleteRecursively(dataDir);
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void awaitExit(ProcessHandle handle) {
        if (!exits(handle, Duration.ofSeconds(10))) {
            throw new IllegalStateException("process " + handle.pid() + " did not exit after SIGKILL");
        }
    }

    /**
     * Whether the process exits within {@code timeout}. Polled with {@link #hasExited} rather than
     * {@link ProcessHandle#onExit()}, which for a process this JVM did not start waits until it is reaped.
     */
    private static boolean exits(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasExited(handle)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return hasExited(handle);
            }
        }
        return true;
    }
}

package dev.cpr.sandbox.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Stopping processes this JVM may not have started, by pid. */
public final class Processes {

    private Processes() {
    }

    /** The live process with this pid whose command line mentions {@code commandHint}, if any. */
    public static Optional<ProcessHandle> find(long pid, String commandHint) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> commandHint == null
                        || p.info().commandLine().or(() -> p.info().command())
                                .map(c -> c.contains(commandHint)).orElse(true));
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. Returns whether a process was stopped. */
    public static boolean stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return false;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeoutOrInterrupt) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + process.pid() + " did not exit after SIGKILL", e);
            }
        }
        return true;
    }

    /**
     * Stops {@code root} and every process under it, the children first: for a launcher script that runs its server
     * as a child (Keycloak's {@code kc.sh} runs {@code java} and waits for it), where SIGKILL to the script alone
     * would leave the server running. Returns whether anything was stopped.
     */
    public static boolean stopTree(ProcessHandle root, Duration grace) {
        boolean stopped = false;
        for (ProcessHandle child : root.descendants().toList()) {
            stopped |= stop(child, grace);
        }
        return stop(root, grace) | stopped;
    }

    /** The pid written on the first line of {@code pidFile}, if the file exists and holds one. */
    public static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Deletes a directory tree; a missing directory is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

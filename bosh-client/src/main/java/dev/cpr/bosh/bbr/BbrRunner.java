package dev.cpr.bosh.bbr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs the real {@code bbr} CLI binary ({@code cpr.backup.bbr.binary}; in tests and the sandbox, the sandbox's
 * {@code bbr} launcher) as a child process. Its stdout and stderr are streamed line by line to the log, each line
 * tagged with the cluster id and subcommand, and the last {@value #KEPT_LINES} lines are kept for the result.
 * Past its timeout the whole process tree is killed (descendants first, SIGKILL), so a wrapper script cannot leave
 * its bbr running. Secrets go in the environment, never on the command line, and are never logged.
 */
public final class BbrRunner implements BbrProcess {

    private static final Logger LOG = Logger.getLogger(BbrRunner.class);
    static final int KEPT_LINES = 400;

    private final String binary;
    private final Map<String, String> baseEnv;
    private final Clock clock;

    /**
     * @param binary  the bbr executable (path or name on PATH)
     * @param baseEnv environment added to every run (e.g. {@code CPR_BBR_CLASSPATH} for the sandbox launcher)
     */
    public BbrRunner(String binary, Map<String, String> baseEnv, Clock clock) {
        this.binary = binary;
        this.baseEnv = Map.copyOf(baseEnv);
        this.clock = clock;
    }

    @Override
    public BbrRun run(String clusterId, List<String> args, Map<String, String> env, Duration timeout,
            Consumer<String> onLine) {
        String subcommand = subcommand(args);
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(baseEnv);
        builder.environment().putAll(env);
        Instant start = clock.instant();
        LOG.infof("cluster=%s bbr %s: %s (timeout %s)", clusterId, subcommand, String.join(" ", command), timeout);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.errorf("cluster=%s bbr %s: cannot start %s: %s", clusterId, subcommand, binary, e.getMessage());
            return new BbrRun(subcommand, BbrExitCode.of(127), false, List.of("cannot start " + binary + ": "
                    + e.getMessage()), Duration.between(start, clock.instant()));
        }
        Deque<String> kept = new ArrayDeque<>();
        Thread out = pump(process.getInputStream(), clusterId, subcommand, false, kept, onLine);
        Thread err = pump(process.getErrorStream(), clusterId, subcommand, true, kept, onLine);
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                LOG.errorf("cluster=%s bbr %s: still running after %s: killing its process tree (pid %d)", clusterId,
                        subcommand, timeout, process.pid());
                killTree(process);
            }
            out.join(5_000);
            err.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process);
            timedOut = true;
        }
        int code = process.isAlive() ? -1 : process.exitValue();
        BbrRun run;
        synchronized (kept) {
            run = new BbrRun(subcommand, BbrExitCode.of(code), timedOut, List.copyOf(kept),
                    Duration.between(start, clock.instant()));
        }
        if (run.succeeded()) {
            LOG.infof("cluster=%s bbr %s: done in %d ms", clusterId, subcommand, run.duration().toMillis());
        } else {
            LOG.errorf("cluster=%s bbr %s: %s", clusterId, subcommand, run.describe());
        }
        return run;
    }

    /** Descendants first (a wrapper script's children), then the process itself, all SIGKILL; waits for them. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle d : descendants) {
                d.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("bbr process tree of pid %d not confirmed gone: %s", process.pid(), e.toString());
        }
    }

    private static Thread pump(InputStream stream, String clusterId, String subcommand, boolean stderr,
            Deque<String> kept, Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (stderr) {
                        LOG.warnf("cluster=%s bbr %s: %s", clusterId, subcommand, line);
                    } else {
                        LOG.infof("cluster=%s bbr %s: %s", clusterId, subcommand, line);
                    }
                    synchronized (kept) {
                        kept.addLast(line);
                        if (kept.size() > KEPT_LINES) {
                            kept.removeFirst();
                        }
                    }
                    try {
                        onLine.accept(line);
                    } catch (RuntimeException e) {
                        LOG.debugf("cluster=%s bbr %s: line listener failed: %s", clusterId, subcommand, e.toString());
                    }
                }
            } catch (IOException e) {
                // the process was killed: its pipes close
            }
        }, "cpr-bbr-" + (stderr ? "err" : "out"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The bbr command among the args ({@code pre-backup-check}, {@code backup}, ...). */
    static String subcommand(List<String> args) {
        for (String a : args) {
            if (List.of("pre-backup-check", "backup", "restore", "backup-cleanup", "restore-cleanup").contains(a)) {
                return a;
            }
        }
        return String.join(" ", args);
    }
}

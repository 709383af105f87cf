package dev.cpr.restore.adapters.ansible;

import dev.cpr.restore.domain.kubespray.PlaybookRun;
import dev.cpr.restore.domain.kubespray.PlaybookRunner;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs {@code ansible-playbook} as a child process from the kubespray checkout: stdout and stderr merged and
 * handed over line by line as they come (Python unbuffered, no colours), bounded by the run's timeout. On
 * timeout, or when the calling thread is interrupted (the plan engine's step timeout, a shutdown), the whole
 * process tree is killed: ansible's forks and the ssh connections it opened, not only the parent.
 */
public final class AnsiblePlaybookRunner implements PlaybookRunner {

    private static final Logger LOG = Logger.getLogger(AnsiblePlaybookRunner.class);
    private static final int TAIL = 200;
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final String binary;
    private final Map<String, String> environment;

    /**
     * @param binary      {@code ansible-playbook}, or a path to it
     * @param environment added to the child's environment (e.g. ANSIBLE_CONFIG)
     */
    public AnsiblePlaybookRunner(String binary, Map<String, String> environment) {
        this.binary = binary;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The binary as found: an absolute or relative path that is executable, or a name on the PATH.
     *
     * @throws IOException saying how to install ansible when it is not there
     */
    public Path locate() throws IOException {
        if (binary.contains(File.separator)) {
            Path path = Path.of(binary);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new IOException(binary + " is not an executable file (cpr.restore.kubespray.ansible-playbook)");
        }
        String pathVar = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : pathVar.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException("'" + binary + "' is not installed (not found on PATH=" + pathVar + "): install Ansible "
                + "(Debian/Ubuntu: apt-get install ansible; or pip install ansible-core) "
                + "or set cpr.restore.kubespray.ansible-playbook");
    }

    @Override
    public Result run(PlaybookRun run, Consumer<String> lines) throws IOException, InterruptedException {
        Path executable = locate();
        if (!Files.isDirectory(run.workDir())) {
            throw new IOException("kubespray directory " + run.workDir() + " does not exist (cpr.restore.kubespray.dir)");
        }
        if (!Files.isRegularFile(run.workDir().resolve(run.playbook())) && !Path.of(run.playbook()).isAbsolute()) {
            throw new IOException("playbook " + run.playbook() + " is not in " + run.workDir());
        }
        List<String> argv = run.argv(executable.toString());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(run.workDir().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("PYTHONUNBUFFERED", "1");
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        builder.environment().put("ANSIBLE_FORCE_COLOR", "0");
        builder.environment().putAll(environment);
        long began = System.nanoTime();
        Process process = builder.start();
        LOG.infof("started `%s` in %s (pid %d, timeout %d s)", String.join(" ", argv), run.workDir(), process.pid(),
                run.timeout().toSeconds());
        Deque<String> tail = new ArrayDeque<>();
        AtomicLong count = new AtomicLong();
        Thread reader = new Thread(() -> read(process, lines, tail, count), "ansible-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = process.waitFor(run.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            LOG.warnf("interrupted while ansible-playbook (pid %d) ran: killing its process tree", process.pid());
            killTree(process);
            throw e;
        }
        if (!finished) {
            LOG.warnf("ansible-playbook (pid %d) did not finish within %d s: killing its process tree", process.pid(),
                    run.timeout().toSeconds());
            killTree(process);
        }
        reader.join(KILL_GRACE.toMillis());
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        List<String> last;
        synchronized (tail) {
            last = List.copyOf(tail);
        }
        int exit = finished ? process.exitValue() : -1;
        LOG.infof("ansible-playbook (pid %d) %s after %d ms, %d lines", process.pid(),
                finished ? "exited with " + exit : "was killed", took.toMillis(), count.get());
        return new Result(argv, exit, !finished, took, count.get(), last);
    }

    private static void read(Process process, Consumer<String> lines, Deque<String> tail, AtomicLong count) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                count.incrementAndGet();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
                try {
                    lines.accept(line);
                } catch (RuntimeException e) {
                    LOG.debugf("output sink failed on a line: %s", e.getMessage());
                }
            }
        } catch (IOException e) {
            // the process was killed and its pipe closed
        }
    }

    /** Kills the descendants first (collected while the parent still holds them), then the parent. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        process.destroyForcibly();
    }
}

package dev.cpr.sandbox.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A script of the cpr checkout ({@code scripts/...}) that fetches a tool into a cache and prints where it put it on
 * its last line of output: {@code scripts/etcd-debian.sh}, {@code scripts/keycloak.sh}. The script stays the one
 * place that knows how to fetch; the sandbox only asks it.
 */
public final class CheckoutScript {

    private static final int KEPT_LINES = 10;

    private CheckoutScript() {
    }

    /** {@code relative} (e.g. {@code scripts/keycloak.sh}) under {@code -Dcpr.home}, else in the nearest folder up. */
    public static Optional<Path> find(String relative) {
        String home = System.getProperty("cpr.home", System.getenv("CPR_HOME"));
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, relative))) {
            return Optional.of(Path.of(home, relative).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve(relative))) {
                return Optional.of(dir.resolve(relative));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code script} with {@code args} and returns the last line it printed. What it says on stderr (what it
     * fetches, or why it cannot) is passed on to ours as it comes, and its last lines are kept for the exception, so a
     * test report that only shows the exception still says why.
     *
     * @throws IllegalStateException if it cannot run, outlasts {@code timeout} or exits non-zero
     */
    public static String lastLine(Path script, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        String run = String.join(" ", command);
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            Deque<String> said = new ArrayDeque<>();
            Thread relay = new Thread(() -> relay(process, said), "stderr of " + script.getFileName());
            relay.setDaemon(true);
            relay.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(run + " did not finish in " + timeout.toMinutes() + " minutes");
            }
            relay.join(TimeUnit.SECONDS.toMillis(5));
            if (process.exitValue() != 0) {
                synchronized (said) {
                    throw new IllegalStateException(run + " exited " + process.exitValue() + ": "
                            + String.join("\n", said));
                }
            }
            String[] lines = out.split("\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + run + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + run, e);
        }
    }

    /** Passes the script's stderr on to ours, keeping its last lines in {@code said}. */
    private static void relay(Process process, Deque<String> said) {
        try (BufferedReader err = process.errorReader(StandardCharsets.UTF_8)) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                System.err.println(line);
                synchronized (said) {
                    said.addLast(line);
                    if (said.size() > KEPT_LINES) {
                        said.removeFirst();
                    }
                }
            }
        } catch (IOException closed) {
            // the script is gone; what it said so far is kept
        }
    }
}

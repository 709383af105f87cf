package dev.cpr.sandbox.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A script of the cpr checkout ({@code scripts/...}) that fetches a tool into a cache and prints where it put it on
 * its last line of output: {@code scripts/etcd-debian.sh}, {@code scripts/keycloak.sh}. The script stays the one
 * place that knows how to fetch; the sandbox only asks it.
 */
public final class CheckoutScript {

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
     * Runs {@code script} with {@code args} (its stderr, where it says what it fetches, goes to ours) and returns the
     * last line it printed.
     *
     * @throws IllegalStateException if it cannot run, outlasts {@code timeout} or exits non-zero; the script has
     *     already said why on stderr, so the message only names the run
     */
    public static String lastLine(Path script, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in "
                        + timeout.toMinutes() + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue()
                        + " (see its message above)");
            }
            String[] lines = out.split("\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}

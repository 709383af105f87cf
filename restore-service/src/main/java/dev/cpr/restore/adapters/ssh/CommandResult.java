package dev.cpr.restore.adapters.ssh;

import java.time.Duration;

/** What one command on a node did: its exit code and its whole stdout and stderr. */
public record CommandResult(String host, String command, int exitCode, String stdout, String stderr, Duration took) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** One line for logs and step output: command, exit code, trimmed stdout/stderr. */
    public String summary() {
        StringBuilder s = new StringBuilder().append(host).append(": `").append(command).append("` exit ")
                .append(exitCode).append(" (").append(took.toMillis()).append(" ms)");
        if (!stdout.isBlank()) {
            s.append(" stdout: ").append(clip(stdout));
        }
        if (!stderr.isBlank()) {
            s.append(" stderr: ").append(clip(stderr));
        }
        return s.toString();
    }

    static String clip(String text) {
        String t = text.strip();
        return t.length() <= 2000 ? t : "..." + t.substring(t.length() - 2000);
    }
}

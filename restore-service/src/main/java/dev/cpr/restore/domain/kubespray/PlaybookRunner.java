package dev.cpr.restore.domain.kubespray;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Runs {@code ansible-playbook}; the adapter is {@code AnsiblePlaybookRunner}. */
public interface PlaybookRunner {

    /**
     * Runs the playbook to its end or its timeout, handing each output line (stdout and stderr, in order) to
     * {@code lines} as it comes. On timeout or interruption the whole process tree is killed.
     *
     * @throws java.io.IOException  when the playbook cannot be started (binary or directory missing)
     * @throws InterruptedException when the calling thread is interrupted (the process tree is killed first)
     */
    Result run(PlaybookRun run, Consumer<String> lines) throws java.io.IOException, InterruptedException;

    /**
     * @param exitCode the process's exit code; -1 when it was killed on timeout
     * @param tail     the last output lines
     */
    record Result(List<String> command, int exitCode, boolean timedOut, Duration took, long lineCount, List<String> tail) {

        public Result {
            command = List.copyOf(command);
            tail = List.copyOf(tail);
        }

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }
}

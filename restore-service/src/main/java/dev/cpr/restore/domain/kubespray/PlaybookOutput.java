package dev.cpr.restore.domain.kubespray;

import dev.cpr.restore.domain.plan.LiveOutput;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Where each line of a running playbook goes: the plan's log file, the plan's line sink, and the step's live output
 * (its last {@code tailLines} non-blank lines), so a person can follow a run that takes minutes.
 */
final class PlaybookOutput implements Consumer<String> {

    private final Writer log;
    private final Path logFile;
    private final Consumer<String> lines;
    private final LiveOutput live;
    private final int tailLines;
    private final ArrayDeque<String> soFar = new ArrayDeque<>();

    PlaybookOutput(Writer log, Path logFile, Consumer<String> lines, LiveOutput live, int tailLines) {
        this.log = log;
        this.logFile = logFile;
        this.lines = lines;
        this.live = live;
        this.tailLines = Math.max(1, tailLines);
    }

    @Override
    public void accept(String line) {
        try {
            log.write(line);
            log.write('\n');
            log.flush();
        } catch (IOException e) {
            // the log file is a copy; the step output and the sink still get the line
        }
        lines.accept(line);
        if (!line.isBlank()) {
            soFar.addLast(line);
            while (soFar.size() > tailLines) {
                soFar.removeFirst();
            }
            live.show("ansible-playbook running, log " + logFile + "; last lines:\n" + String.join("\n", soFar));
        }
    }
}
